"""Mutation testing of the modules that hold Mieruka's guarantees (mutmut), one module at a time.

`make mutation` (or `python -m mieruka.testing.mutation [MODULE ...]`) runs mutmut on each module with only
the test files that exercise it, in its own work folder `.mutation/<module>/`, so a module takes minutes;
`--resume` continues an interrupted run. It prints the score per module: killed / (all − not run).

Each work folder holds a generated `setup.cfg` (mutmut's settings), a copy of the project's pytest settings
and a link to `mieruka/`, which holds the Django project too (`mieruka/conf/`); mutmut copies the code into
`mutants/` there and mutates only the one module. Tests run from that copy (mutmut changes into `mutants/`),
so the original tree is never changed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / ".mutation"

# module → the test files that exercise it (paths relative to the project root).
MODULES: dict[str, list[str]] = {
    "mieruka/monitoring/risk.py": ["mieruka/monitoring/tests/test_risk.py",
                                   # the outcome indicators' factor, in memory
                                   "mieruka/monitoring/tests/test_outcome_factor.py::OutcomeFactorTest"],
    "mieruka/api/etag.py": ["mieruka/api/tests/test_etag.py", "mieruka/api/tests/test_etag_comparison.py",
                            # each record of a bulk change carries its own ETag instead of If-Match
                            "mieruka/api/tests/test_bulk.py::BulkTest::test_a_bulk_change_needs_each_records_etag_and_a_stale_one_undoes_all",
                            # a campaign has no last_updated; a finished task holds a file
                            "mieruka/reporting/tests/test_api.py::ReportingApiTest::test_only_administrators_draft_open_and_close_campaigns",
                            "mieruka/api/tests/test_exports.py::ExportTest::test_a_long_list_becomes_a_task_the_client_polls_and_downloads"],
    "mieruka/api/permissions.py": ["mieruka/api/tests/test_permissions.py", "mieruka/api/tests/test_scope.py",
                                   "mieruka/api/tests/test_write_refusals.py"],
    "mieruka/core/permissions.py": ["mieruka/core/tests/test_roles.py", "mieruka/core/tests/test_restricted_fields.py"],
    "mieruka/core/audit.py": ["mieruka/core/tests/test_audit_rules.py", "mieruka/core/tests/test_audit_trail.py"],
    "mieruka/core/history.py": ["mieruka/core/tests/test_history_values.py",
                                "mieruka/core/tests/test_restricted_fields.py"],
    "mieruka/interchange/values.py": ["mieruka/interchange/tests/test_values.py",
                                      "mieruka/interchange/tests/test_cell_values.py",
                                      # the short path of large imports against parse_cell
                                      "mieruka/interchange/tests/test_cell_parser.py"],
    # In memory: test_import_errors.py checks the same rules through the database, a test database per mutant.
    "mieruka/interchange/validation.py": ["mieruka/interchange/tests/test_validation_rules.py"],
    # The service called directly, one portfolio per class (no page, no command), and each writer's own tests.
    "mieruka/interchange/services.py": ["mieruka/interchange/tests/test_import_service.py",
                                        "mieruka/interchange/tests/test_import.py",
                                        "mieruka/interchange/tests/test_import_atomic.py",
                                        # service_kpis, the table with its own importer, all or nothing
                                        "mieruka/outcomes/tests/test_interchange.py::PortfolioImportOfServiceKpisTest",
                                        "mieruka/contracts/tests/test_bulk_import.py",
                                        "mieruka/interchange/tests/test_oversight_tables.py::OversightRoundTripTest",
                                        "mieruka/security/tests/test_interchange.py::SecurityFindingImportTest",
                                        "mieruka/staffing/tests/test_digital_staffing.py::DigitalStaffingInterchangeTest"],
    "mieruka/reporting/selectors.py": ["mieruka/reporting/tests/test_selectors.py",
                                       "mieruka/reporting/tests/test_burden.py",
                                       "mieruka/reporting/tests/test_pages.py",
                                       "mieruka/reporting/tests/test_freshness.py"],
    "mieruka/reporting/services.py": ["mieruka/reporting/tests/test_services.py",
                                      "mieruka/reporting/tests/test_campaign_flow.py",
                                      "mieruka/reporting/tests/test_reminders.py",
                                      "mieruka/reporting/tests/test_duplicate_ask.py",
                                      "mieruka/reporting/tests/test_status_report_items.py"],
    "mieruka/insights/similarity.py": ["mieruka/insights/tests/test_similarity.py"],
    # The lists' kept rows: never another scope's, language's or data version's.
    "mieruka/core/listcache.py": ["mieruka/inventory/tests/test_list_cache.py"],
    "mieruka/organizations/validators.py": ["mieruka/organizations/tests/test_check_digits.py"],
    "mieruka/contracts/rules.py": ["mieruka/contracts/tests/test_rules.py"],
    "mieruka/contracts/execution.py": ["mieruka/contracts/tests/test_execution.py"],
    "mieruka/contracts/services.py": ["mieruka/contracts/tests/test_contract_services.py",
                                      "mieruka/contracts/tests/test_contracts.py::ContractFactsTest"],
}


def _workdir(module: str) -> Path:
    work = WORK / module.replace("/", "_").removesuffix(".py")
    work.mkdir(parents=True, exist_ok=True)
    link = work / "mieruka"  # the settings are mieruka/conf/, so this one link is the whole project
    if not link.exists():
        link.symlink_to(ROOT / "mieruka", target_is_directory=True)
    # pytest's settings without [tool.mutmut], so mutmut reads setup.cfg (per module).
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (work / "pyproject.toml").write_text(text, encoding="utf-8")
    tests = "\n".join(f"    {t}" for t in MODULES[module])
    (work / "setup.cfg").write_text(
        "[mutmut]\n"
        "source_paths =\n    mieruka\n"
        f"only_mutate =\n    {module}\n"
        f"pytest_add_cli_args_test_selection =\n{tests}\n"
        # pytest-django would otherwise find the project's manage.py above the work folder and import the
        # original code instead of the mutated copy.
        # With DATABASE_URL naming PostgreSQL the test database is built once and kept for every mutant
        # (several times faster for the database-heavy modules); the in-memory SQLite default ignores it.
        # The plugin `-p mieruka.testing.mutation` pins that database's name (`pytest_configure` below).
        "pytest_add_cli_args =\n    -q\n    -o\n    django_find_project=false\n    --reuse-db\n"
        "    -p\n    mieruka.testing.mutation\n",
        encoding="utf-8",
    )
    return work


# The kept PostgreSQL test database. Django names it "test_" + the NAME in the settings and then writes that
# name into the settings, so every later pytest run in the same process (mutmut runs several, and forks the
# mutants' runs from them) prefixed it again: test_test_test_test_<name>, a database first created by a
# mutant's run under mutmut's time limit. Killed in the middle of its migrations, it stayed half-migrated and
# every later mutant failed at set-up and counted as killed. So the name is pinned (a TEST NAME is used as it
# is), and that database is built and checked in full before mutmut starts, and checked again after.
def pytest_configure(config=None) -> None:
    """pytest plugin of the mutation runs: every run in the process uses `<name>_test`, built beforehand."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.postgresql":
        # The same dict the connection holds; a later run in the process finds the name already set.
        test = db.setdefault("TEST", {})
        test["NAME"] = test.get("NAME") or f"{db['NAME']}_test"


_TEST_DATABASE = """
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mieruka.conf.settings")
django.setup()
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import setup_databases
from mieruka.testing.mutation import pytest_configure
pytest_configure()
db = settings.DATABASES["default"]
if db["ENGINE"] != "django.db.backends.postgresql":
    print("-")  # in-memory SQLite: a fresh database for every mutant
    raise SystemExit
if {build}:
    setup_databases(verbosity=0, interactive=False, keepdb=False)  # dropped first if it exists
else:
    db["NAME"] = db["TEST"]["NAME"]
executor = MigrationExecutor(connection)
pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
with connection.cursor() as cursor:
    cursor.execute("select count(*) from django_migrations")
    applied = cursor.fetchone()[0]
print(connection.settings_dict["NAME"], applied, len(pending))
"""


def _test_database(env: dict, *, build: bool) -> str | None:
    """Builds the kept test database afresh (build) or checks it; exits unless every migration is applied."""
    result = subprocess.run([sys.executable, "-c", _TEST_DATABASE.format(build=build)], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"test database: {(result.stderr.strip().splitlines() or ['?'])[-1]}")
    last = result.stdout.split("\n")[-2].split()  # the migrations may print lines before
    if last == ["-"]:
        return None
    name, applied, pending = last
    if int(pending) or not int(applied):
        raise SystemExit(f"test database {name}: {applied} migrations applied, {pending} pending")
    return f"test database {name}: {applied} migrations applied, none pending"


def _score(work: Path) -> dict:
    """Counts per outcome from mutmut's results listing."""
    result = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"], cwd=work,
                            capture_output=True, text=True)
    counts: dict[str, int] = {}
    survivors = []
    for line in result.stdout.splitlines():
        if ":" not in line:
            continue
        name, outcome = line.rsplit(":", 1)
        outcome = outcome.strip()
        counts[outcome] = counts.get(outcome, 0) + 1
        if outcome == "survived":
            survivors.append(name.strip())
    killed = counts.get("killed", 0) + counts.get("timeout", 0)
    judged = sum(counts.values()) - counts.get("not checked", 0) - counts.get("skipped", 0)
    return {"counts": counts, "score": round(100 * killed / judged, 1) if judged else None, "survivors": survivors}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="modules to mutate (default: all of them)")
    parser.add_argument("--max-children", type=int, default=1, help="parallel mutant runs (default 1)")
    parser.add_argument("--resume", action="store_true", help="continue an interrupted run instead of starting afresh")
    args = parser.parse_args(argv)
    modules = args.modules or list(MODULES)
    unknown = [m for m in modules if m not in MODULES]
    if unknown:
        parser.error(f"no test selection for {unknown}; known: {', '.join(MODULES)}")
    env = {**os.environ, "MIERUKA_DEV": "1"}
    report = {}
    for module in modules:
        work = _workdir(module)
        if not args.resume:
            # mutmut reruns a mutant only when its function changed, not when the tests did: start afresh.
            shutil.rmtree(work / "mutants", ignore_errors=True)
        print(f"== {module}", flush=True)
        kept = _test_database(env, build=True)
        if kept:
            print(kept, flush=True)
        subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(args.max_children)],
                       cwd=work, env=env)
        if kept:
            # A run that broke its database counted its mutants killed: stop before printing a score.
            print(_test_database(env, build=False), flush=True)
        report[module] = _score(work)
        print(f"== {module}: {report[module]['score']}% killed {json.dumps(report[module]['counts'])}", flush=True)
    scores = WORK / "scores.json"  # earlier runs' modules stay, this run's replace theirs
    earlier = json.loads(scores.read_text(encoding="utf-8")) if scores.exists() else {}
    scores.write_text(json.dumps({**earlier, **report}, indent=2, ensure_ascii=False), encoding="utf-8")
    for module, r in report.items():
        print(f"{module}: {r['score']}% {r['counts']}")
        for name in r["survivors"]:
            print(f"    survived: {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
