"""The 20 standard business areas (標準化対象の基幹業務), in the order of the standardization policy
(地方公共団体情報システム標準化基本方針): the 17 of the law's first list, then 印鑑登録, 戸籍, 戸籍の附票."""

# (code, number, name_ja, name_en)
BUSINESS_AREAS: list[tuple[str, int, str, str]] = [
    ("juki", 1, "住民基本台帳", "Basic resident register"),
    ("senkyo", 2, "選挙人名簿管理", "Electoral register"),
    ("kotei", 3, "固定資産税", "Fixed asset tax"),
    ("kojin_juminzei", 4, "個人住民税", "Individual inhabitant tax"),
    ("hojin_juminzei", 5, "法人住民税", "Corporate inhabitant tax"),
    ("keijidosha", 6, "軽自動車税", "Light vehicle tax"),
    ("kokuho", 7, "国民健康保険", "National health insurance"),
    ("kokunen", 8, "国民年金", "National pension"),
    ("shogai", 9, "障害者福祉", "Welfare for persons with disabilities"),
    ("koki", 10, "後期高齢者医療", "Medical care for the elderly (75+)"),
    ("kaigo", 11, "介護保険", "Long-term care insurance"),
    ("jido_teate", 12, "児童手当", "Child allowance"),
    ("seiho", 13, "生活保護", "Public assistance"),
    ("kenko", 14, "健康管理", "Health management"),
    ("shugaku", 15, "就学", "School enrolment"),
    ("jido_fuyo", 16, "児童扶養手当", "Child-rearing allowance"),
    ("kodomo", 17, "子ども・子育て支援", "Child and child-rearing support"),
    ("inkan", 18, "印鑑登録", "Seal registration"),
    ("koseki", 19, "戸籍", "Family register"),
    ("koseki_fuhyo", 20, "戸籍の附票", "Supplementary family register"),
]
