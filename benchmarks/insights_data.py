"""Synthetic portfolio data for the insights benchmarks: realistic Japanese names, skewed budgets.

Deterministic (seeded) so figures are comparable between runs.
"""

import random

SUBJECTS = (
    "補助金 年金 雇用保険 国税 関税 登記 旅券 在留管理 気象 河川 道路 港湾 空港 農地 森林 漁業 特許 商標 統計 "
    "人事給与 文書 会計 物品 国有財産 防災 消防 医療保険 介護保険 生活保護 児童手当 学校 奨学金 研究費 環境影響 "
    "廃棄物 化学物質 原子力 電波 郵便 自動車登録 車検 運転免許 住民基本台帳 戸籍 選挙 政治資金 公文書 電子調達 "
    "入札 契約 施設 宿舎 給付金 助成金 職業訓練 求人 労災 健康診断 感染症 医薬品 食品安全 検疫 動物検疫 植物防疫 "
    "農業共済 水産資源 船舶 船員 鉄道 航空 観光 建設業 不動産 都市計画 下水道 水道 電力 ガス 石油 鉱業 中小企業 "
    "輸出管理 貿易 外為 金融機関 保険会社 証券 預金保険 国債 地方交付税 地方債 消費税 法人税 所得税 相続税 "
    "酒税 印紙 関税率 入国審査 難民認定 刑事 矯正 保護観察 訴訟 人権 国籍 供託 裁判 防衛装備 自衛官 基地 "
    "外交 領事 査証 国際協力 文化財 スポーツ 宗教法人 著作権 放送 通信 個人情報 マイナンバー 公益法人"
).split()
ACTIONS = {
    "申請受付": "申請受付",
    "電子申請": "申請受付",
    "審査": "審査",
    "届出受付": "申請受付",
    "台帳管理": "データ管理",
    "データベース": "データ管理",
    "情報提供": "情報提供",
    "統計集計": "調査集計",
    "調査集計": "調査集計",
    "照会": "情報提供",
    "手続": "申請受付",
    "監視": "監視",
    "分析": "分析",
    "業務支援": "業務支援",
    "共通基盤": "共通基盤",
    "情報共有": "情報共有",
    "ポータル": "情報提供",
    "認証": "認証",
    "予約": "申請受付",
    "通知": "情報提供",
    "電子納付": "決済",
    "相談受付": "相談",
    "研修管理": "人事",
    "文書管理": "文書管理",
    "給付": "給付",
}
OBJECTS = (
    "台帳 記録 情報 交付 届出 許可 認定 登録 証明 資格 検査 調査 相談 実績 計画 予算 債権 貸付 保険料 手当 "
    "事業者 利用者 職員 受給者 施設 設備 工事 物件 案件 事案 文書 帳票 データ 統計 地図 画像 映像 番号 口座 "
).split()
SUFFIXES = ["システム", "システム", "情報システム", "サービス", "基盤システム", "業務システム"]
QUALIFIERS = ["", "", "", "", "次期", "統合", "新", "全国", "地方", "第二"]
PLATFORMS = ["GIMA", "GPKI", "GBIZID", "JPKI", "GSS", "BASE_REGISTRY", "DATA_LINKAGE", "GOV_CLOUD"]
USERS = ["citizens", "businesses", "staff", "local_governments", "other_systems"]
HOSTINGS = ["government_cloud", "other_cloud", "on_premises", "gss", "unknown"]
CLASSES = ["digital_agency", "joint", "ministry", "independent_agency"]


def system_rows(n: int, *, seed: int = 7, ministries: int = 24):
    """Yield dicts describing n synthetic systems; ~5% are reworded copies of another ministry's system."""
    rnd = random.Random(seed)
    actions = list(ACTIONS)
    made = []
    for i in range(n):
        if made and rnd.random() < 0.05:
            base = rnd.choice(made)
            subject, action = base["subject"], base["action"]
            name = (
                rnd.choice(["", "新", "次期"])
                + subject
                + rnd.choice([action, "電子" + action, action + "等"])
                + rnd.choice(SUFFIXES)
            )
        else:
            subject, action = rnd.choice(SUBJECTS), rnd.choice(actions)
            subject = subject + rnd.choice(OBJECTS)
            name = rnd.choice(QUALIFIERS) + subject + action + rnd.choice(SUFFIXES)
        row = {
            "i": i,
            "system_id": f"B{i:06d}",
            "name": name,
            "subject": subject,
            "action": action,
            "purpose": f"{subject}に関する{action}の業務を{rnd.choice(['電子化する', '効率化する', '行う', '支援する'])}",
            "ministry": rnd.randrange(ministries),
            "functions": [ACTIONS[action]]
            + ([rnd.choice(list(ACTIONS.values()))] if rnd.random() < 0.3 else []),
            "platforms": rnd.sample(PLATFORMS, rnd.choice([0, 0, 1, 1, 2, 3])),
            "users": rnd.sample(USERS, rnd.choice([1, 1, 2])),
            "hosting": rnd.choice(HOSTINGS),
            "classification": rnd.choice(CLASSES),
        }
        made.append(row)
        yield row


def setup_django(db_path: str) -> None:
    """Point Django at a benchmark SQLite file (kept apart from db.sqlite3) and start it."""
    import os
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mieruka.conf.settings")
    os.environ.setdefault("MIERUKA_DEV", "1")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{db_path}")
    import django

    django.setup()


def build_database(*, systems: int, budget_lines: int, seed: int = 7, log=print) -> None:
    """Migrate and fill the benchmark database unless it already holds the requested portfolio."""
    import datetime
    import time

    from django.core.management import call_command
    from django.db import connection, transaction

    from mieruka.budgets.models import BudgetLine
    from mieruka.inventory.models import InformationSystem, Project, SharedPlatform
    from mieruka.organizations.models import Organization

    call_command("migrate", verbosity=0)
    if InformationSystem.objects.count() == systems and BudgetLine.objects.count() == budget_lines:
        log(f"Reusing the benchmark database ({systems:,} systems, {budget_lines:,} budget lines)")
        return
    started = time.perf_counter()
    rnd = random.Random(seed)
    with transaction.atomic():
        for model in (
            BudgetLine,
            Project.systems.through,
            Project,
            InformationSystem.platforms.through,
            InformationSystem,
            SharedPlatform,
        ):
            model.objects.all().delete()
        Organization.objects.filter(parent__isnull=False).delete()
        Organization.objects.all().delete()
        ministries = Organization.objects.bulk_create(
            [
                Organization(code=f"M{m:02d}", name_ja=f"府省{m:02d}", kind="ministry", order=m + 1)
                for m in range(24)
            ]
        )
        bureaus = Organization.objects.bulk_create(
            [
                Organization(
                    code=f"M{m:02d}-B{b}", name_ja=f"府省{m:02d}第{b}局", kind="bureau", parent=ministries[m]
                )
                for m in range(24)
                for b in range(4)
            ]
        )
        platforms = SharedPlatform.objects.bulk_create([SharedPlatform(code=c, name_ja=c) for c in PLATFORMS])
        pf_by_code = {p.code: p for p in platforms}
        rows = list(system_rows(systems, seed=seed))
        objs = []
        for r in rows:
            start_year = rnd.randint(2005, 2025)
            objs.append(
                InformationSystem(
                    system_id=r["system_id"],
                    name_ja=r["name"],
                    purpose=r["purpose"],
                    organization=bureaus[r["ministry"] * 4 + rnd.randrange(4)]
                    if rnd.random() < 0.7
                    else ministries[r["ministry"]],
                    classification=r["classification"],
                    status="operation",
                    functions=r["functions"],
                    users=r["users"],
                    hosting=r["hosting"],
                    important=rnd.random() < 0.02,
                    started_on=datetime.date(start_year, rnd.randint(1, 12), 1),
                )
            )
        InformationSystem.objects.bulk_create(objs, batch_size=5000)
        ids = dict(InformationSystem.objects.values_list("system_id", "id"))
        through = InformationSystem.platforms.through
        through.objects.bulk_create(
            [
                through(informationsystem_id=ids[r["system_id"]], sharedplatform_id=pf_by_code[c].id)
                for r in rows
                for c in r["platforms"]
            ],
            batch_size=10000,
        )
        log(f"  {systems:,} systems in {time.perf_counter() - started:.1f} s")
        # Budget lines: five fiscal years × two categories per system; stages drawn so the total is exact.
        # Sizes are skewed like the real portfolio (most systems under 1億円, a few above 100億円).
        now = datetime.datetime.now(datetime.UTC).isoformat(sep=" ")
        # 20 lines a system: initial budgets of both categories for FY2021–2025, executed operating costs
        # for every year, executed development costs for the last three, requests for FY2024–2025; further
        # stages (supplementary, carried over) only when more lines per system are asked for.
        combos = [(fy, cat, "initial") for fy in range(2021, 2026) for cat in ("operation", "development")]
        combos += [(fy, "operation", "executed") for fy in range(2021, 2026)]
        combos += [(fy, "development", "executed") for fy in range(2023, 2026)]
        combos += [(2024, "operation", "request"), (2025, "operation", "request")]
        combos += [
            (fy, cat, stage)
            for fy in range(2021, 2026)
            for cat in ("operation", "development")
            for stage in ("supplementary", "carryover", "request")
            if (fy, cat, stage) not in combos
        ]
        per_system = budget_lines // systems
        extra = budget_lines - per_system * systems
        sql = (
            "INSERT INTO budgets_budgetline (created, last_updated, system_id, fiscal_year, category, stage, "
            "appropriation, amount_yen) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
        )
        batch = []
        with connection.cursor() as cursor:
            for n, pk in enumerate(ids.values()):
                base = int(rnd.lognormvariate(17.5, 1.6))
                k = per_system + (1 if n < extra else 0)
                for fy, cat, stage in combos[:k]:
                    amount = base if cat == "operation" else base // 3
                    amount = int(
                        amount
                        * (rnd.uniform(0.5, 1.0) if stage == "executed" else 1)
                        * (1 + (fy - 2021) * 0.03)
                    )
                    batch.append((now, now, pk, fy, cat, stage, "ministry", amount))
                if len(batch) >= 50_000:
                    cursor.executemany(sql, batch)
                    batch.clear()
            if batch:
                cursor.executemany(sql, batch)
        ms = list(ids.values())
        projects = Project.objects.bulk_create(
            [
                Project(
                    project_id=f"P{i:06d}",
                    name_ja=f"プロジェクト{i}",
                    phase="operation",
                    organization=ministries[i % 24],
                    pjmo_staff=rnd.choice([0, 0.5, 1, 2, 3, 5]),
                    pjmo_external=rnd.choice([0, 0.5, 1, 2, 4]),
                )
                for i in range(systems // 10)
            ],
            batch_size=5000,
        )
        pt = Project.systems.through
        pt.objects.bulk_create(
            [
                pt(project_id=p.id, informationsystem_id=ms[(i * 10 + j) % len(ms)])
                for i, p in enumerate(projects)
                for j in range(rnd.randint(1, 3))
            ],
            batch_size=10000,
            ignore_conflicts=True,
        )
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
    log(
        f"  built {systems:,} systems and {BudgetLine.objects.count():,} budget lines in "
        f"{time.perf_counter() - started:.1f} s"
    )
