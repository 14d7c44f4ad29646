"""The row checks of every interchange table, called directly on files held in memory (no database).

Each bad row must be reported with its file, row, column, value and reason in both languages; a good row
must pass untouched. `validate` takes what the database holds as a `Known`, so these tests build one.
"""

import datetime
import re
from decimal import Decimal

from mieruka.interchange.readers import Source, read_sources
from mieruka.interchange.validation import Known, validate

D = datetime.date

UNKNOWN_SYSTEM = ("情報システムIDが見つかりません", "Unknown system")
UNKNOWN_ORGANIZATION = ("組織コードが見つかりません", "Unknown organization")
UNKNOWN_PROJECT = ("プロジェクトIDが見つかりません", "Unknown project")
REQUIRED = ("必須の値がありません", "A required value is missing")


def known(**changes) -> Known:
    """Two ministries with a bureau, three systems, two projects and two users already stored."""
    base = Known(
        organization_parents={"MHLW": "", "MHLW-B": "MHLW", "MOJ": ""},
        organization_names={"MHLW": ("", "厚生労働省"), "MHLW-B": ("MHLW", "年金局"), "MOJ": ("", "法務省")},
        system_organizations={"S1": "MHLW", "S2": "MHLW-B", "S3": "MOJ"},
        platform_codes={"GCAS"},
        project_phases={"PJ-1": "requirements", "PJ-2": "development"},
        usernames={"alice", "bob"},
    )
    for name, value in changes.items():
        setattr(base, name, value)
    return base


def run(files: dict[str, str], k: Known | None = None, progress=None):
    """(parsed tables, problems as (file, row, column, value, reason_ja, reason_en)) of files named → text."""
    raws, read_problems = read_sources([Source(name=name, data=text.encode()) for name, text in files.items()])
    assert read_problems == []
    parsed, problems = validate(raws, k if k is not None else known(), progress=progress)
    return parsed, [(p.file, p.row, p.column, p.value, p.reason_ja, p.reason_en) for p in problems]


def problems_of(name: str, text: str, k: Known | None = None) -> list[tuple]:
    """The problems of one file, without its name: (row, column, value, reason_ja, reason_en)."""
    _, found = run({name: text}, k)
    assert all(p[0] == name for p in found), found
    return [p[1:] for p in found]


def records_of(name: str, text: str, table: str, k: Known | None = None) -> dict:
    parsed, found = run({name: text}, k)
    assert found == []
    return parsed.tables[table].records


# --- generic parsing -------------------------------------------------------------------------------

SYSTEMS = "system_id,name_ja,organization_code,classification,status"


def test_a_missing_required_value_and_a_bad_cell_name_row_column_and_value():
    text = f"{SYSTEMS}\nS9,,MHLW,ministry,operation\nS8,名称,MHLW,ministry,running\nS7,名称,MHLW,ministry,operation\n"
    parsed, found = run({"systems.csv": text})
    assert found == [("systems.csv", 2, "name_ja", "", *REQUIRED),
                     ("systems.csv", 3, "status", "running", "選択肢にない値です（使える値: planned, development, "
                      "operation, retiring, retired）",
                      "Unknown choice value (allowed: planned, development, operation, retiring, retired)")]
    assert list(parsed.tables["systems"].records) == [("S7",)]
    assert parsed.files == ["systems.csv"]


def test_problems_are_reported_under_the_files_own_japanese_headers():
    text = "情報システムID,情報システム名,組織コード,情報システム区分,状態\nS9,,MHLW,ministry,operation\n"
    assert problems_of("systems.csv", text) == [(2, "情報システム名", "", *REQUIRED)]


def test_a_list_of_codes_is_kept_sorted_without_repeats():
    text = f"{SYSTEMS},platforms\nS9,名称,MHLW,ministry,operation,ZPF;GCAS;ZPF;APF\n"
    parsed, found = run({"systems.csv": text})
    assert found == []
    assert parsed.tables["systems"].records[("S9",)]["platforms"] == ["APF", "GCAS", "ZPF"]
    assert parsed.new_platforms == ["APF", "ZPF"]


def test_a_value_under_a_blank_header_is_refused_once_per_file():
    text = ("system_id,,name_ja,organization_code,classification,status\n"
            "S9,x,名称,MHLW,ministry,operation\nS8,y,名称,MHLW,ministry,operation\nS7,,名称,MHLW,ministry,operation\n")
    parsed, found = run({"systems.csv": text})
    assert found == [("systems.csv", 2, "2列目", "x", "見出しのない列に値があります", "A value in a column without a header")]
    assert sorted(parsed.tables["systems"].records) == [("S7",), ("S8",)]


def test_a_duplicate_key_names_the_first_row_and_keeps_it():
    text = f"{SYSTEMS}\nS9,一,MHLW,ministry,operation\nS9,二,MHLW,ministry,operation\nS8,三,MHLW,ministry,operation\n"
    parsed, found = run({"systems.csv": text})
    assert found == [("systems.csv", 3, "system_id", "S9", "キーが重複しています（systems.csv の 2 行目と同じ）",
                      "Duplicate key (same as row 2 of systems.csv)")]
    assert parsed.tables["systems"].records[("S9",)]["name_ja"] == "一"
    assert parsed.tables["systems"].where[("S9",)] == ("systems.csv", 2)
    assert ("S8",) in parsed.tables["systems"].records


def test_a_duplicate_key_across_two_files_names_the_other_file():
    parsed, found = run({"systems.csv": f"{SYSTEMS}\nS9,一,MHLW,ministry,operation\n",
                         "more.csv": f"{SYSTEMS}\nS9,二,MHLW,ministry,operation\n"})
    assert found == [("more.csv", 2, "system_id", "S9", "キーが重複しています（systems.csv の 2 行目と同じ）",
                      "Duplicate key (same as row 2 of systems.csv)")]
    assert parsed.files == ["more.csv", "systems.csv"]


def test_a_reported_value_is_cut_to_200_characters():
    long_id = "X" * 250
    found = problems_of("budgets.csv", f"system_id,fiscal_year,category,stage,amount_yen\n{long_id},2025,operation,initial,1\n")
    assert found == [(2, "system_id", "X" * 200, *UNKNOWN_SYSTEM)]


def test_the_columns_present_in_the_files_are_recorded():
    parsed, _ = run({"systems.csv": f"{SYSTEMS},hosting\nS9,名称,MHLW,ministry,operation,\n"})
    assert parsed.tables["systems"].present == {"system_id", "name_ja", "organization_code", "classification",
                                                "status", "hosting"}


# --- renamed systems ------------------------------------------------------------------------------

def test_an_id_from_before_a_rename_is_read_as_the_current_id():
    k = known(previous_system_ids={"OLD1": "S1", "OLD3": "S3"})
    parsed, found = run({"systems.csv": f"{SYSTEMS}\nOLD1,新名称,MHLW,ministry,operation\n",
                         "interfaces.csv": "from_system_id,to_system_id,kind\nOLD1,OLD3,data\n",
                         "projects.csv": "project_id,name_ja,phase,system_ids\nPJ-9,新規,planning,OLD3;S3;OLD1\n"}, k)
    assert found == []
    assert list(parsed.tables["systems"].records) == [("S1",)]
    assert parsed.tables["systems"].records[("S1",)]["system_id"] == "S1"
    assert parsed.tables["systems"].where[("S1",)] == ("systems.csv", 2)
    assert list(parsed.tables["interfaces"].records) == [("S1", "S3", "data")]
    assert parsed.tables["projects"].records[("PJ-9",)]["system_ids"] == ["S1", "S3"]


def test_a_record_under_its_previous_and_its_current_id_is_refused():
    k = known(previous_system_ids={"OLD1": "S1"})
    text = f"{SYSTEMS}\nS1,一,MHLW,ministry,operation\nOLD1,二,MHLW,ministry,operation\n"
    found = problems_of("systems.csv", text, k)
    assert found == [(3, "system_id", "OLD1", "改称前のIDと現在のIDで同じレコードが2回あります（systems.csv の 2 行目と同じ）",
                      "The same record appears under its previous and its current ID (as row 2 of systems.csv)")]


def test_security_findings_and_decisions_follow_renames_too():
    k = known(previous_system_ids={"OLD1": "S1", "OLD3": "S3"})
    parsed, found = run({
        "security_findings.csv": "finding_id,system_id,title,severity,found_on,status\nF-1,OLD1,脆弱性,low,2025-04-01,open\n",
        "decisions.csv": "system_id,project_id,kind,merged_into_system_id,rationale,decided_on,decided_by,effective_year\n"
                         "OLD3,,merge,OLD1,重複,2025-04-01,会議,2026\n"}, k)
    assert found == []
    assert parsed.tables["security_findings"].records[("F-1",)]["system_id"] == "S1"
    [(key, record)] = parsed.tables["decisions"].records.items()
    assert key == ("S3", "", D(2025, 4, 1), "merge") and record["merged_into_system_id"] == "S1"


# --- organizations -------------------------------------------------------------------------------

ORGS = "organization_code,name_ja,kind,parent_code"


def test_an_unknown_parent_organization_is_refused_and_the_row_dropped():
    parsed, found = run({"organizations.csv": f"{ORGS}\nX,X局,bureau,NOPE\nY,Y局,bureau,MHLW\nZ,Z局,bureau,X\n"})
    assert [f[1:] for f in found] == [(2, "parent_code", "NOPE", "上位組織コードが見つかりません",
                                       "Unknown parent organization")]
    assert sorted(parsed.tables["organizations"].records) == [("Y",), ("Z",)]


def test_a_parent_chain_that_loops_is_refused():
    found = problems_of("organizations.csv", f"{ORGS}\nA,A省,ministry,B\nB,B局,bureau,C\nC,C課,division,A\nD,D,other,D\n")
    cycle = ("上位組織が循環しています", "The parent chain forms a cycle")
    assert found == [(2, "parent_code", "B", *cycle), (3, "parent_code", "C", *cycle), (4, "parent_code", "A", *cycle),
                     (5, "parent_code", "D", *cycle)]


def test_a_loop_through_stored_parents_is_found_and_a_file_without_parents_keeps_the_stored_ones():
    k = known(organization_parents={"A": "", "B": "A"})
    _, found = run({"organizations.csv": f"{ORGS}\nA,A省,ministry,B\n",
                    "more.csv": "organization_code,name_ja,kind\nB,B局,bureau\n"}, k)
    assert found == [("organizations.csv", 2, "parent_code", "B", "上位組織が循環しています",
                      "The parent chain forms a cycle")]


def test_a_long_chain_of_parents_is_accepted():
    k = known(organization_parents={"A": "", "B": "A", "C": "B"})
    records = records_of("organizations.csv", f"{ORGS}\nD,D課,division,C\nE,E係,other,D\nF,F,other,\n", "organizations", k)
    assert sorted(records) == [("D",), ("E",), ("F",)]


def test_a_file_without_parents_accepts_its_organizations():
    records = records_of("organizations.csv", "organization_code,name_ja,kind\nN,N省,ministry\n", "organizations")
    assert list(records) == [("N",)]


def test_corporate_and_local_government_codes_are_checked_and_bad_rows_dropped():
    text = ("organization_code,name_ja,kind,corporate_number,local_government_code\n"
            "A,A,ministry,2000012160153,\nB,B,ministry,200001216015,\nC,C,ministry,200001216015X,\n"
            "D,D,local_government,,130002\nE,E,local_government,,13000\nF,F,local_government,,13000X\n"
            "G,G,ministry,2000012160152,131016\n")
    parsed, found = run({"organizations.csv": text})
    digit = ("法人番号のチェックディジットが正しくありません", "Corporate number check digit is wrong")
    digits = ("法人番号は13桁の数字です", "A corporate number has 13 digits")
    lg_digit = ("地方公共団体コードのチェックディジットが正しくありません", "Local government code check digit is wrong")
    lg_digits = ("地方公共団体コードは6桁の数字です", "A local government code has 6 digits")
    assert [f[1:] for f in found] == [
        (2, "corporate_number", "2000012160153", *digit), (3, "corporate_number", "200001216015", *digits),
        (4, "corporate_number", "200001216015X", *digits), (5, "local_government_code", "130002", *lg_digit),
        (6, "local_government_code", "13000", *lg_digits), (7, "local_government_code", "13000X", *lg_digits)]
    assert list(parsed.tables["organizations"].records) == [("G",)]


# --- systems -------------------------------------------------------------------------------------

def test_a_system_of_an_unknown_organization_is_refused_and_one_of_a_new_organization_accepted():
    _, found = run({"organizations.csv": "organization_code,name_ja,kind\nNEW,新省,ministry\n",
                    "systems.csv": f"{SYSTEMS}\nS9,名称,NOPE,ministry,operation\nS8,名称,NEW,ministry,operation\n"
                                   "S7,名称,MHLW-B,ministry,operation\n"})
    assert found == [("systems.csv", 2, "organization_code", "NOPE", *UNKNOWN_ORGANIZATION)]


def test_a_blank_hosting_is_unknown_and_a_given_one_kept():
    records = records_of("systems.csv", f"{SYSTEMS},hosting\nS9,名称,MHLW,ministry,operation,\n"
                                        "S8,名称,MHLW,ministry,operation,gss\n", "systems")
    assert records[("S9",)]["hosting"] == "unknown" and records[("S8",)]["hosting"] == "gss"
    assert "hosting" not in records_of("systems.csv", f"{SYSTEMS}\nS9,名称,MHLW,ministry,operation\n", "systems")[("S9",)]


def test_a_system_retired_before_it_started_is_refused_the_same_day_is_not():
    text = (f"{SYSTEMS},started_on,retired_on\nS9,名称,MHLW,ministry,retired,2020-04-01,2020-03-31\n"
            "S8,名称,MHLW,ministry,retired,2020-04-01,2020-04-01\nS7,名称,MHLW,ministry,retired,,2020-04-01\n"
            "S6,名称,MHLW,ministry,retired,2020-04-01,\n")
    assert problems_of("systems.csv", text) == [(2, "retired_on", "2020-03-31", "廃止日は運用開始日より後にしてください",
                                                 "The retirement date must not be before the start date")]


# --- budgets -------------------------------------------------------------------------------------

BUDGETS = "system_id,fiscal_year,category,stage,amount_yen"


def test_budget_rows_become_amounts_by_their_five_part_key():
    text = (f"{BUDGETS},appropriation\nS1,2025,operation,initial,1000,\nS1,令和7年度,development,initial,2000,digital_agency\n"
            "S2,2024,operation,request,0,ministry\n")
    records = records_of("budgets.csv", text, "budgets")
    assert records == {("S1", 2025, "operation", "initial", "ministry"): 1000,
                       ("S1", 2025, "development", "initial", "digital_agency"): 2000,
                       ("S2", 2024, "operation", "request", "ministry"): 0}


def test_budget_cells_off_the_common_path_are_read_the_same():
    # Padded IDs, Japanese labels, amounts with commas or full-width digits, a missing last cell.
    text = (f"{BUDGETS},appropriation\n S1 ,2025年度,運用等経費,当初予算,\"1,000\",\nS2,2025,operation,initial,１２３\n"
            "S3,R7,operation,initial,1000000000000000000,\nS1,2024,operation,initial, 5 ,ministry\n")
    parsed, found = run({"budgets.csv": text})
    records = parsed.tables["budgets"].records
    assert found == []
    assert records.get(("S2", 2025, "operation", "initial", "ministry")) == 123
    assert records.get(("S3", 2025, "operation", "initial", "ministry")) == 10**18
    assert records.get(("S1", 2024, "operation", "initial", "ministry")) == 5
    assert parsed.tables["budgets"].where[("S2", 2025, "operation", "initial", "ministry")] == ("budgets.csv", 3)


def test_a_budget_row_with_every_kind_of_problem_names_each():
    text = (f"{BUDGETS},appropriation\n,2025,operation,initial,1,\nGHOST,2025,operation,initial,1,\n"
            "S1,,operation,initial,1,\nS1,FY25-26,operation,initial,1,\nS1,2025,,initial,1,\nS1,2025,operation,,1,\n"
            "S1,2025,cooking,initial,1,\nS1,2025,operation,initial,1,nope\nS1,2025,operation,initial,,\n"
            "S1,2025,operation,initial,-5,\nS1,2025,operation,initial,9999999999999999999,\n")
    parsed, found = run({"budgets.csv": text})
    assert parsed.tables["budgets"].records == {}
    assert {f[0] for f in found} == {"budgets.csv"}
    found = [f[1:] for f in found]
    assert [f[:3] for f in found] == [(2, "system_id", ""), (3, "system_id", "GHOST"), (4, "fiscal_year", ""),
                                      (5, "fiscal_year", "FY25-26"), (6, "category", ""), (7, "stage", ""),
                                      (8, "category", "cooking"), (9, "appropriation", "nope"), (10, "amount_yen", ""),
                                      (11, "amount_yen", "-5"), (12, "amount_yen", "9999999999999999999")]
    assert found[0][3:] == REQUIRED and found[1][3:] == UNKNOWN_SYSTEM and found[2][3:] == REQUIRED
    assert found[3][3:] == ("年度の形式が不明です（例: 2025、2025年度、令和7年度、R7）",
                            "Unknown fiscal year format (e.g. 2025, 2025年度, 令和7年度, R7)")
    assert found[4][3:] == REQUIRED and found[5][3:] == REQUIRED and found[8][3:] == REQUIRED
    assert found[6][3:] == ("選択肢にない値です（使える値: development, operation）",
                            "Unknown choice value (allowed: development, operation)")
    assert found[7][4].startswith("Unknown choice value")
    assert found[9][4] == "Must not be negative" and found[10][4].startswith("The number is too large")


def test_one_bad_cell_of_a_budget_row_leaves_the_other_cells_checked_too():
    found = problems_of("budgets.csv", f"{BUDGETS}\nGHOST,FY,cooking,nope,x\n")
    assert [f[1] for f in found] == ["system_id", "fiscal_year", "category", "stage", "amount_yen"]
    found = problems_of("budgets.csv", f"{BUDGETS}\nS1,2025,,nope,1\n")
    assert [f[1] for f in found] == ["category", "stage"]


def test_a_duplicate_budget_line_is_refused_even_when_written_differently():
    text = f"{BUDGETS}\nS1,2025,operation,initial,1\nS1,令和7年度,運用等経費,initial,2\nS1,2025,operation,initial,3\n"
    parsed, found = run({"budgets.csv": text})
    duplicate = ("キーが重複しています（budgets.csv の 2 行目と同じ）", "Duplicate key (same as row 2 of budgets.csv)")
    assert found == [("budgets.csv", 3, "system_id", "S1 / 2025 / operation / initial / ministry", *duplicate),
                     ("budgets.csv", 4, "system_id", "S1 / 2025 / operation / initial / ministry", *duplicate)]
    assert parsed.tables["budgets"].records == {("S1", 2025, "operation", "initial", "ministry"): 1}


def test_a_year_written_once_is_read_the_same_on_later_rows():
    text = f"{BUDGETS}\nS1,令和7年度,operation,initial,1\nS1,令和7年度,development,initial,2\nS1,R7,operation,request,3\n"
    records = records_of("budgets.csv", text, "budgets")
    assert sorted(records.values()) == [1, 2, 3] and {key[1] for key in records} == {2025}


def test_a_budget_under_a_previous_system_id_is_the_current_systems():
    k = known(previous_system_ids={"OLD1": "S1", "S2": "S9"})
    records = records_of("budgets.csv", f"{BUDGETS}\nOLD1,2025,operation,initial,1\nS2,2025,operation,initial,2\n",
                         "budgets", k)
    # S2 is still a current ID: another system's old name does not take it over.
    assert records == {("S1", 2025, "operation", "initial", "ministry"): 1,
                       ("S2", 2025, "operation", "initial", "ministry"): 2}


def test_a_budget_may_name_a_system_created_by_the_same_import():
    _, found = run({"systems.csv": f"{SYSTEMS}\nNEW,名称,MHLW,ministry,operation\n",
                    "budgets.csv": f"{BUDGETS}\nNEW,2025,operation,initial,1\n"})
    assert found == []


def test_progress_is_told_every_100000_budget_rows():
    # Row 100,000 of the file is its 99,999th budget line: a thousand systems over a hundred years.
    k = known(system_organizations={f"S{i}": "MHLW" for i in range(1000)})
    text = BUDGETS + "\n" + "".join(f"S{i},{year},operation,initial,1\n" for year in range(2000, 2100) for i in range(1000))
    heard = []
    parsed, found = run({"budgets.csv": text}, k, progress=heard.append)
    assert found == [] and len(parsed.tables["budgets"].records) == 100_000
    assert heard == ["budgets.csv: 100,000 rows read"]
    heard.clear()
    run({"budgets.csv": f"{BUDGETS}\nS1,2025,operation,initial,1\n"}, progress=heard.append)
    assert heard == []


# --- IT Dashboard layouts ----------------------------------------------------------------------------

DASHBOARD = "system_id,year,operating_budget,development_budget,sum_budget,system_field_code,architecture,reduction_code,pf"


def test_an_it_dashboard_budget_sheet_gives_both_lines_and_the_latest_classifications():
    text = (f"{DASHBOARD}\nS1,2025,100,20,120,01,,1,\nS1,2024,50,0,,02,,2,\nS2,2024,1,2,,,,,\n")
    parsed, found = run({"budgets.csv": text})
    assert found == []
    assert parsed.tables["budgets"].records == {
        ("S1", 2025, "operation", "initial", "ministry"): 100, ("S1", 2025, "development", "initial", "ministry"): 20,
        ("S1", 2024, "operation", "initial", "ministry"): 50, ("S1", 2024, "development", "initial", "ministry"): 0,
        ("S2", 2024, "operation", "initial", "ministry"): 1, ("S2", 2024, "development", "initial", "ministry"): 2}
    systems = parsed.tables["systems"]
    assert systems.records[("S1",)] == {"system_id": "S1", "processing_class": "01", "consolidation": "1"}
    assert systems.where[("S1",)] == ("budgets.csv", 2)
    assert ("S2",) not in systems.records
    assert {"processing_class", "consolidation"} <= systems.present


def test_an_it_dashboard_sheet_with_bad_cells_names_each():
    text = (f"{DASHBOARD}\nS1,2025,100,20,121,,,,\nS1,2024,,x,,,,,\nS1,2023,1,1,x,,,,\nS1,2022,1,1,2,99X,,,\n"
            "S1,FY,1,1,2,,,,\nGHOST,2025,1,1,2,,,,\nS1,2021,1,1,2,,,3,\n")
    parsed, found = run({"budgets.csv": text})
    assert parsed.tables["budgets"].records == {} and parsed.tables["systems"].records == {}
    assert {f[0] for f in found} == {"budgets.csv"}
    found = [f[1:] for f in found]
    assert [f[:3] for f in found] == [(2, "sum_budget", "121"), (3, "operating_budget", ""),
                                      (3, "development_budget", "x"), (4, "sum_budget", "x"),
                                      (5, "system_field_code", "99X"), (6, "year", "FY"), (7, "system_id", "GHOST"),
                                      (8, "reduction_code", "3")]
    assert found[0][3:] == ("合計が運用等経費と整備等経費の和と一致しません", "The total is not operating plus development budget")
    assert found[1][3:] == REQUIRED and found[6][3:] == UNKNOWN_SYSTEM
    assert found[3][3:] == ("金額は円単位の整数で入力してください", "An amount must be whole yen")
    assert found[4][3:] == ("情報処理システム分類: 選択肢にない値です（使える値: 01, 02, 03, 04, 05, 99）",
                            "情報処理システム分類 (processing_class): Unknown choice value (allowed: 01, 02, 03, 04, 05, 99)")


def test_a_dashboard_row_for_a_system_in_the_same_import_keeps_that_rows_values():
    parsed, found = run({"systems.csv": f"{SYSTEMS},processing_class\nS1,名称,MHLW,ministry,operation,03\n",
                         "budgets.csv": f"{DASHBOARD}\nS1,2025,1,1,2,01,,2,\n"})
    assert found == []
    assert parsed.tables["systems"].records[("S1",)]["processing_class"] == "03"
    assert parsed.tables["systems"].records[("S1",)]["consolidation"] == "2"


BASIC = "system_id,system_name,system_field_code,system_field,reduction_code,year"


def test_an_it_dashboard_system_list_updates_only_the_classifications_of_known_systems():
    k = known(previous_system_ids={"OLD2": "S2"})
    text = f"{BASIC}\nS1,名称,01,,1,2024\nS1,名称,02,,,2025\nS1,名称,05,,,2023\nOLD2,名称,,,2,\n"
    parsed, found = run({"systems.csv": text}, k)
    assert found == []
    records = parsed.tables["systems"].records
    assert records == {("S1",): {"system_id": "S1", "processing_class": "02"},
                       ("S2",): {"system_id": "S2", "consolidation": "2"}}
    assert parsed.tables["systems"].where[("S1",)] == ("systems.csv", 3)


def test_an_it_dashboard_system_list_names_each_bad_row():
    text = f"{BASIC}\n,名称,01,,,\nGHOST,名称,01,,,\nS1,名称,01,,,FY\nS1,名称,7,,,2025\nS2,名称,,,,2025\nS3,名称\n"
    parsed, found = run({"systems.csv": text})
    assert found == [
        ("systems.csv", 2, "system_id", "", *REQUIRED), ("systems.csv", 3, "system_id", "GHOST", *UNKNOWN_SYSTEM),
        ("systems.csv", 4, "year", "FY", "年度の形式が不明です（例: 2025、2025年度、令和7年度、R7）",
         "Unknown fiscal year format (e.g. 2025, 2025年度, 令和7年度, R7)"),
        ("systems.csv", 5, "system_field_code", "7", "情報処理システム分類: 選択肢にない値です（使える値: 01, 02, 03, 04, 05, 99）",
         "情報処理システム分類 (processing_class): Unknown choice value (allowed: 01, 02, 03, 04, 05, 99)")]
    assert parsed.tables["systems"].records == {}


def test_a_dashboard_list_row_without_a_year_counts_as_the_oldest():
    k = known(system_organizations={"S1": "MHLW", "-S4": "MOJ"})
    # A cell the export protected with an apostrophe ('-S4) is read as the ID it protects.
    text = f"{BASIC}\nS1,名称,01,,,\nS1,名称,02,,,2020\nS1,名称,03,,,\n'-S4,名称,04,,,\n"
    parsed, found = run({"systems.csv": text}, k)
    assert found == []
    assert parsed.tables["systems"].records == {("S1",): {"system_id": "S1", "processing_class": "02"},
                                                ("-S4",): {"system_id": "-S4", "processing_class": "04"}}


def test_a_classification_given_by_name_is_read_as_its_code():
    from mieruka.interchange import schema
    name = next(c for c in schema.SYSTEMS.column("processing_class").choices if c.value == "02").ja
    parsed, found = run({"systems.csv": f"{BASIC}\nS1,名称,,{name},,2025\n"})
    assert found == []
    assert parsed.tables["systems"].records[("S1",)] == {"system_id": "S1", "processing_class": "02"}


# --- projects and interfaces --------------------------------------------------------------------------

def test_a_project_names_known_systems_and_organizations_and_ends_after_it_starts():
    text = ("project_id,name_ja,phase,system_ids,organization_code,starts_on,ends_on\n"
            "P1,一,planning,S1;GHOST,NOPE,2025-04-01,2025-03-31\nP2,二,planning,S1,MOJ,2025-04-01,2025-04-01\n"
            "P3,三,planning,,,,2025-04-01\n")
    found = problems_of("projects.csv", text)
    assert found == [(2, "system_ids", "GHOST", *UNKNOWN_SYSTEM), (2, "organization_code", "NOPE", *UNKNOWN_ORGANIZATION),
                     (2, "ends_on", "2025-03-31", "終了日は開始日より後にしてください",
                      "The end date must not be before the start date")]


def test_a_project_without_an_organization_column_takes_its_first_systems():
    records = records_of("projects.csv", "project_id,name_ja,phase,system_ids\nP1,一,planning,S3;S1\nP2,二,planning,\n",
                         "projects")
    assert records[("P1",)]["organization_code"] == "MHLW"  # the list is sorted: S1 first
    assert "organization_code" not in records[("P2",)]


def test_an_interface_links_two_known_systems_and_not_one_to_itself():
    text = "from_system_id,to_system_id,kind\nGHOST,S1,data\nS1,GHOST2,api\nS1,S1,file\nS1,S2,file\n"
    found = problems_of("interfaces.csv", text)
    assert found == [(2, "from_system_id", "GHOST", *UNKNOWN_SYSTEM), (3, "to_system_id", "GHOST2", *UNKNOWN_SYSTEM),
                     (4, "to_system_id", "S1", "自システムへの連携は登録できません", "A system cannot link to itself")]


# --- contracts -----------------------------------------------------------------------------------

CONTRACTS = "contract_number,title,vendor_name,method,amount_yen,fiscal_year,category"


def test_a_contract_refers_to_known_systems_projects_and_organizations():
    text = (f"{CONTRACTS},system_ids,project_id,organization_code\n"
            "C1,運用,ベンダー,general_lowest,100,2025,operation,S1;GHOST,PJ-X,NOPE\n"
            "C2,運用,ベンダー,general_lowest,100,2025,operation,,,\n"
            "C3,運用,ベンダー,general_lowest,100,2025,operation,S3;S1,,\n"
            "C4,運用,ベンダー,general_lowest,100,2025,operation,GHOST,,\n"
            "C5,運用,ベンダー,general_lowest,100,2025,operation,,PJ-1,MOJ\n")
    parsed, found = run({"contracts.csv": text})
    assert {f[0] for f in found} == {"contracts.csv"}
    assert [f[1:] for f in found] == [
        (2, "system_ids", "GHOST", *UNKNOWN_SYSTEM), (2, "project_id", "PJ-X", *UNKNOWN_PROJECT),
        (2, "organization_code", "NOPE", *UNKNOWN_ORGANIZATION),
        (3, "organization_code", "", "組織コードか対象情報システムIDを入れてください", "Give the organization_code or the system_ids"),
        (5, "system_ids", "GHOST", *UNKNOWN_SYSTEM)]
    records = parsed.tables["contracts"].records
    assert records[("C3",)]["organization_code"] == "MHLW"
    assert records[("C4",)]["organization_code"] == ""
    assert records[("C5",)]["organization_code"] == "MOJ"


def test_a_contract_of_a_project_created_by_the_same_import_is_accepted():
    _, found = run({"projects.csv": "project_id,name_ja,phase\nPJ-NEW,新,planning\n",
                    "contracts.csv": f"{CONTRACTS},project_id,organization_code\n"
                                     "C1,運用,ベンダー,general_lowest,100,2025,operation,PJ-NEW,MHLW\n"})
    assert found == []


def test_a_contract_file_without_organization_or_systems_columns_is_left_to_the_stored_record():
    records = records_of("contracts.csv", f"{CONTRACTS}\nC1,運用,ベンダー,general_lowest,100,2025,operation\n", "contracts")
    assert "organization_code" not in records[("C1",)]


def test_a_vendors_corporate_number_is_checked():
    text = (f"{CONTRACTS},organization_code,vendor_corporate_number\n"
            "C1,t,v,general_lowest,1,2025,operation,MHLW,2000012160153\nC2,t,v,general_lowest,1,2025,operation,MHLW,12345\n"
            "C3,t,v,general_lowest,1,2025,operation,MHLW,200001216015X\nC4,t,v,general_lowest,1,2025,operation,MHLW,2000012160152\n")
    found = problems_of("contracts.csv", text)
    assert found == [(2, "vendor_corporate_number", "2000012160153", "法人番号のチェックディジットが正しくありません",
                      "Corporate number check digit is wrong"),
                     (3, "vendor_corporate_number", "12345", "法人番号は13桁の数字です", "A corporate number has 13 digits"),
                     (4, "vendor_corporate_number", "200001216015X", "法人番号は13桁の数字です",
                      "A corporate number has 13 digits")]


def test_a_contract_has_at_least_one_bidder_or_withheld_and_ends_after_it_starts():
    text = (f"{CONTRACTS},organization_code,bidders_count,starts_on,ends_on\n"
            "C1,t,v,designated,1,2025,operation,MHLW,0,2025-04-01,2025-03-31\n"
            "C2,t,v,designated,1,2025,operation,MHLW,1,2025-04-01,2025-04-01\n"
            "C3,t,v,designated,1,2025,operation,MHLW,非公表,,2025-04-01\n")
    found = problems_of("contracts.csv", text)
    assert found == [(2, "bidders_count", "0", "入札者数は1以上です（非公表なら「非公表」）",
                      "There is at least one bidder (or write 非公表 for withheld)"),
                     (2, "ends_on", "2025-03-31", "終了日は開始日より後にしてください",
                      "The end date must not be before the start date")]


def test_the_award_rate_is_computed_and_a_given_one_must_match_within_the_tolerance():
    head = f"{CONTRACTS},organization_code,estimated_price_yen,award_rate\n"
    text = head + ("C1,t,v,designated,950,2025,operation,MHLW,1000,\nC2,t,v,designated,950,2025,operation,MHLW,1000,95.6\n"
                   "C3,t,v,designated,950,2025,operation,MHLW,1000,94.4\nC4,t,v,designated,950,2025,operation,MHLW,1000,95.7\n"
                   "C5,t,v,designated,950,2025,operation,MHLW,1000,94.3\nC6,t,v,designated,950,2025,operation,MHLW,非公表,90\n"
                   "C7,t,v,designated,950,2025,operation,MHLW,1000,非公表\nC8,t,v,designated,950,2025,operation,MHLW,,80\n")
    parsed, found = run({"contracts.csv": text})
    mismatch = ("落札率が契約金額÷予定価格（95.00%）と合いません", "The award rate does not match amount ÷ estimated price (95.00%)")
    assert found == [("contracts.csv", 5, "award_rate", "95.70", *mismatch), ("contracts.csv", 6, "award_rate", "94.30", *mismatch)]
    records = parsed.tables["contracts"].records
    assert [records[(f"C{i}",)]["award_rate"] for i in (1, 2, 3, 7)] == [Decimal("95.00")] * 4
    assert records[("C6",)]["award_rate"] == Decimal("90") and records[("C8",)]["award_rate"] == Decimal("80")


def test_an_amount_100_times_the_estimate_or_more_is_a_typing_error():
    head = f"{CONTRACTS},organization_code,estimated_price_yen\n"
    text = head + "C1,t,v,designated,10000,2025,operation,MHLW,100\nC2,t,v,designated,9999,2025,operation,MHLW,100\n"
    parsed, found = run({"contracts.csv": text})
    assert {f[0] for f in found} == {"contracts.csv"}
    assert [f[1:] for f in found] == [(2, "estimated_price_yen", "100", "契約金額が予定価格の100倍以上です（落札率 10000.00%）",
                                       "The contract amount is 100 times the estimated price or more (award rate 10000.00%)")]
    assert parsed.tables["contracts"].records[("C2",)]["award_rate"] == Decimal("9999.00")


def test_single_bid_follows_from_the_method_and_the_bidders():
    head = f"{CONTRACTS},organization_code,bidders_count,single_bid\n"
    text = head + ("C1,t,v,general_lowest,1,2025,operation,MHLW,1,true\nC2,t,v,general_lowest,1,2025,operation,MHLW,2,false\n"
                   "C3,t,v,negotiated,1,2025,operation,MHLW,1,false\nC4,t,v,general_lowest,1,2025,operation,MHLW,1,false\n"
                   "C5,t,v,negotiated,1,2025,operation,MHLW,1,true\nC6,t,v,general_lowest,1,2025,operation,MHLW,非公表,false\n")
    parsed, found = run({"contracts.csv": text})
    wrong = ("一者応札は契約方式と入札者数から決まります（競争性のある方式で入札者1者）",
             "Single bidder follows from the method and the bidders (a competitive method, one bidder)")
    assert found == [("contracts.csv", 5, "single_bid", "false", *wrong), ("contracts.csv", 6, "single_bid", "true", *wrong)]
    records = parsed.tables["contracts"].records
    assert [records[(f"C{i}",)]["single_bid"] for i in (1, 2, 3, 6)] == [True, False, False, False]


def test_single_bid_is_derived_without_the_column_and_dropped_without_method_or_bidders():
    head = f"{CONTRACTS},organization_code,bidders_count\n"
    records = records_of("contracts.csv", head + "C1,t,v,general_lowest,1,2025,operation,MHLW,1\n", "contracts")
    assert records[("C1",)]["single_bid"] is True
    text = "contract_number,title,vendor_name,method,amount_yen,fiscal_year,category,organization_code,single_bid\n"
    records = records_of("contracts.csv", text + "C1,t,v,general_lowest,1,2025,operation,MHLW,true\n", "contracts")
    assert "single_bid" not in records[("C1",)]


# --- published spending sheets ----------------------------------------------------------------------

PUBLISHED = "府省庁,局・庁,title,vendor_name,法人番号,method,amount_yen,fiscal_year,category"


NO_MINISTRY = ("この名前の府省庁（局・庁）が見つかりません。組織コードの列を加えることもできます",
               "No ministry (or bureau) of this name; a column 組織コード may be added instead")


def test_a_published_sheet_names_its_ministry_and_bureau_in_words():
    text = (f"{PUBLISHED}\n厚生労働省,年金局,t,v,,designated,1,2025,operation\n厚生労働省,,t,v,,designated,2,2025,operation\n"
            "厚生労働省,不明局,t,v,,designated,3,2025,operation\n 法務省 ,,t,v,,designated,4,2025,operation\n"
            "不明省,,t,v,,designated,5,2025,operation\n法務省,,t,v,,designated,6,2025,operation\n")
    parsed, found = run({"contracts.csv": text})
    assert found == [("contracts.csv", 6, "府省庁", "不明省", NO_MINISTRY[0], NO_MINISTRY[1])]
    codes = sorted((r["amount_yen"], r["organization_code"]) for r in parsed.tables["contracts"].records.values())
    assert codes == [(1, "MHLW-B"), (2, "MHLW"), (3, "MHLW"), (4, "MOJ"), (6, "MOJ")]


def test_a_published_sheet_may_name_an_organization_the_same_import_creates():
    parsed, found = run({"organizations.csv": "organization_code,name_ja,kind,parent_code\nNEW,新省,ministry,\n"
                                              "NEW-B,新局,bureau,NEW\n",
                         "contracts.csv": f"{PUBLISHED}\n新省,新局,t,v,,designated,1,2025,operation\n"})
    assert found == []
    [record] = parsed.tables["contracts"].records.values()
    assert record["organization_code"] == "NEW-B"


def test_a_published_sheet_is_reported_under_its_own_headers():
    found = problems_of("contracts.csv", f"{PUBLISHED}\n厚生労働省,,t,v,2000012160153,designated,1,2025,operation\n")
    assert found == [(2, "法人番号", "2000012160153", "法人番号のチェックディジットが正しくありません",
                      "Corporate number check digit is wrong")]


def test_a_published_row_gets_a_contract_number_from_what_it_says():
    base = ["厚生労働省", "", "t", "v", "", "designated", "1", "2025", "operation"]
    variants = [base]
    for i, other in ((1, "年金局"), (2, "t2"), (3, "v2"), (4, "2000012160152"), (5, "negotiated"), (6, "2"), (7, "2024")):
        row = list(base)
        row[i] = other
        variants.append(row)
    text = f"{PUBLISHED},system_ids,project_id\n" + "".join(",".join(row) + ",,\n" for row in variants)
    text += ",".join(base) + ",S1,\n" + ",".join(base) + ",,PJ-1\n"
    parsed, found = run({"contracts.csv": text})
    assert found == []
    numbers = [key[0] for key in parsed.tables["contracts"].records]
    assert len(set(numbers)) == len(variants) + 2
    assert all(re.fullmatch(r"PUB-(2025|2024)-[0-9A-F]{12}", n) for n in numbers), numbers
    assert numbers[7].startswith("PUB-2024-")
    # The same sheet read again gives the same numbers; the same row twice is one contract.
    again, _ = run({"contracts.csv": text})
    assert [key[0] for key in again.tables["contracts"].records] == numbers
    parsed, found = run({"contracts.csv": f"{PUBLISHED}\n" + ",".join(base) + "\n" + ",".join(base) + "\n"})
    [number] = [key[0] for key in parsed.tables["contracts"].records]
    assert found == [("contracts.csv", 3, "contract_number", number, "キーが重複しています（contracts.csv の 2 行目と同じ）",
                      "Duplicate key (same as row 2 of contracts.csv)")]


# --- cloud usage and digital staffing -------------------------------------------------------------

def test_cloud_usage_names_a_known_system_and_a_month_by_its_first_day():
    text = ("system_id,month,account,service_category,amount_yen\nGHOST,2025-04-01,A,compute,1\n"
            "S1,2025-04-02,A,compute,1\nS1,2025-05-01,A,compute,1\n")
    assert problems_of("cloud_usage.csv", text) == [
        (2, "system_id", "GHOST", *UNKNOWN_SYSTEM),
        (3, "month", "2025-04-02", "利用月は1日の日付で指定してください（例 2025-04-01）",
         "Give the month as its first day (e.g. 2025-04-01)")]


def test_digital_staffing_names_a_known_organization():
    text = ("organization_code,fiscal_year,internal_fte,external_fte,internal_target_fte\nNOPE,2025,1,1,\n"
            "MHLW,2025,99999.99,99999.99,99999.99\n")
    assert problems_of("digital_staffing.csv", text) == [(2, "organization_code", "NOPE", *UNKNOWN_ORGANIZATION)]


# --- security findings -------------------------------------------------------------------------------

FINDINGS = "finding_id,system_id,title,severity,found_on,status"


def test_a_security_finding_names_a_known_system_and_dates_in_order():
    text = (f"{FINDINGS},due_on,fixed_on\nF1,GHOST,t,low,2025-04-01,open,,\nF2,S1,t,low,2025-04-01,fixed,2025-03-31,2025-03-31\n"
            "F3,S1,t,low,2025-04-01,fixed,2025-04-01,2025-04-01\nF4,S1,t,low,2025-04-01,fixed,,\n")
    found = problems_of("security_findings.csv", text)
    assert found == [(2, "system_id", "GHOST", *UNKNOWN_SYSTEM),
                     (3, "due_on", "2025-03-31", "対応期限は発見日より後にしてください",
                      "The due date must not be before the date found"),
                     (3, "fixed_on", "2025-03-31", "修正日は発見日より後にしてください",
                      "The fix date must not be before the date found"),
                     (5, "fixed_on", "", "修正済みには修正日が必要です", "A fixed finding needs its fix date")]


def test_a_blank_due_date_is_the_severitys_sla():
    text = f"{FINDINGS},due_on\nF1,S1,t,critical,2025-04-01,open,\nF2,S1,t,low,2025-04-01,open,2025-05-01\n"
    records = records_of("security_findings.csv", text, "security_findings")
    assert records[("F1",)]["due_on"] == D(2025, 4, 8)
    assert records[("F2",)]["due_on"] == D(2025, 5, 1)
    assert "due_on" not in records_of("security_findings.csv", f"{FINDINGS}\nF1,S1,t,low,2025-04-01,open\n",
                                      "security_findings")[("F1",)]


def test_an_accepted_risk_needs_its_reason():
    text = (f"{FINDINGS},acceptance_reason\nF1,S1,t,low,2025-04-01,accepted,\nF2,S1,t,low,2025-04-01,accepted,  \n"
            "F3,S1,t,low,2025-04-01,accepted,影響なし\nF4,S1,t,low,2025-04-01,open,\n")
    reason = ("リスク受容には理由が必要です", "An accepted risk needs its reason")
    assert problems_of("security_findings.csv", text) == [(2, "acceptance_reason", "", *reason),
                                                          (3, "acceptance_reason", "", *reason)]
    assert problems_of("security_findings.csv", f"{FINDINGS}\nF1,S1,t,low,2025-04-01,accepted\n") == [
        (2, "acceptance_reason", "", *reason)]


# --- reviews and their findings ---------------------------------------------------------------------

REVIEWS = "project_id,fiscal_year,stage,state"


def test_a_review_of_an_unknown_project_is_refused():
    assert problems_of("reviews.csv", f"{REVIEWS}\nPJ-X,2025,request,draft\n") == [
        (2, "project_id", "PJ-X", *UNKNOWN_PROJECT)]


def test_a_blank_review_phase_is_the_stored_reviews_or_the_projects():
    k = known(review_phases={("PJ-1", 2025, "request"): "planning"})
    text = f"{REVIEWS},phase,follow_up\nPJ-1,2025,request,draft,,\nPJ-1,2025,execution,draft,,\nPJ-2,2025,request,draft,operation,escalation\n"
    records = records_of("reviews.csv", text, "reviews", k)
    assert records[("PJ-1", 2025, "request")]["phase"] == "planning"
    assert records[("PJ-1", 2025, "execution")]["phase"] == "requirements"
    assert records[("PJ-2", 2025, "request")]["phase"] == "operation"
    assert records[("PJ-1", 2025, "request")]["follow_up"] == "none"
    assert records[("PJ-2", 2025, "request")]["follow_up"] == "escalation"


def test_a_review_of_a_project_the_same_import_creates_uses_its_phase():
    parsed, found = run({"projects.csv": "project_id,name_ja,phase\nPJ-NEW,新,procurement\n",
                         "reviews.csv": f"{REVIEWS},phase\nPJ-NEW,2025,request,draft,\n"})
    assert found == []
    assert parsed.tables["reviews"].records[("PJ-NEW", 2025, "request")]["phase"] == "procurement"


def test_reviewers_are_known_users_and_a_support_follow_up_names_one():
    text = (f"{REVIEWS},reviewer,support_reviewer,follow_up\nPJ-1,2025,request,draft,nobody,ghost,none\n"
            "PJ-1,2025,execution,draft,alice,,support\nPJ-2,2025,request,draft,alice,bob,support\n")
    assert problems_of("reviews.csv", text) == [
        (2, "reviewer", "nobody", "ユーザー名が見つかりません", "Unknown user name"),
        (2, "support_reviewer", "ghost", "ユーザー名が見つかりません", "Unknown user name"),
        (3, "support_reviewer", "", "支援型のフォローアップには支援レビュアーが必要です", "A support follow-up needs a supporting reviewer")]


def test_checklist_answers_become_the_phases_items_in_order():
    text = f"{REVIEWS},checklist\nPJ-1,2025,request,draft,rq-3＝はい；RQ-1=no;RQ-2=unanswered\nPJ-2,2025,request,draft,\n"
    records = records_of("reviews.csv", text, "reviews")
    assert records[("PJ-1", 2025, "request")]["checklist"] == ["RQ-1=no", "RQ-3=yes"]
    assert records[("PJ-2", 2025, "request")]["checklist"] == []


def test_checklist_items_are_checked_against_the_phase():
    k = known(review_phases={("PJ-1", 2025, "request"): "development"})
    text = f"{REVIEWS},checklist\nPJ-1,2025,request,draft,RQ-1;=yes;DV-1=yes;DV-1=no;DV-2=maybe;DV-3==yes\n"
    found = problems_of("reviews.csv", text, k)
    items = "DV-1, DV-2, DV-3, DV-4, DV-5"
    assert found == [
        (2, "checklist", "RQ-1", "「項目コード=回答」の形で書いてください（例: RQ-1=yes）", "Write each item as code=answer (e.g. RQ-1=yes)"),
        (2, "checklist", "=yes", "「項目コード=回答」の形で書いてください（例: RQ-1=yes）", "Write each item as code=answer (e.g. RQ-1=yes)"),
        (2, "checklist", "DV-1=no", "同じ項目が2回書かれています", "The same item is given twice"),
        (2, "checklist", "DV-2=maybe", "選択肢にない値です（使える値: unanswered, yes, partly, no, na）",
         "Unknown choice value (allowed: unanswered, yes, partly, no, na)"),
        (2, "checklist", "DV-3==yes", "選択肢にない値です（使える値: unanswered, yes, partly, no, na）",
         "Unknown choice value (allowed: unanswered, yes, partly, no, na)")]
    text = f"{REVIEWS},phase,checklist\nPJ-1,2025,request,draft,,RQ-1=yes\n"
    assert problems_of("reviews.csv", text, k) == [
        (2, "checklist", "RQ-1=yes", f"この工程のチェックリストにない項目です（使える項目: {items}）",
         f"Not an item of this phase's checklist (items: {items})")]


FINDING_ROWS = "project_id,fiscal_year,stage,number,kind,severity,category,text,status"


def test_a_finding_belongs_to_a_known_review_and_is_numbered_from_1():
    k = known(review_phases={("PJ-1", 2025, "request"): "requirements"})
    text = f"{FINDING_ROWS}\nPJ-1,2024,request,1,finding,low,cost,t,open\nPJ-1,2025,request,0,finding,low,cost,t,open\n"
    assert problems_of("findings.csv", text, k) == [
        (2, "project_id", "PJ-1 / 2024 / request", "レビューが見つかりません（プロジェクトID・年度・レビュー種別）",
         "Unknown review (project_id, fiscal_year, stage)"),
        (3, "number", "0", "指摘番号は1以上です", "A finding number starts at 1")]


def test_a_blank_finding_phase_is_its_reviews_and_owners_are_known_users():
    k = known(review_phases={("PJ-1", 2025, "request"): "procurement"})
    text = (f"{FINDING_ROWS},phase,owner\nPJ-1,2025,request,1,finding,low,cost,t,open,,alice\n"
            "PJ-1,2025,request,2,finding,low,cost,t,open,operation,nobody\n")
    parsed, found = run({"findings.csv": text}, k)
    assert [f[1:] for f in found] == [(3, "owner", "nobody", "ユーザー名が見つかりません", "Unknown user name")]
    records = parsed.tables["findings"].records
    assert records[("PJ-1", 2025, "request", 1)]["phase"] == "procurement"
    assert records[("PJ-1", 2025, "request", 2)]["phase"] == "operation"


def test_findings_of_a_review_the_same_import_creates_take_its_phase():
    parsed, found = run({"reviews.csv": f"{REVIEWS},phase\nPJ-2,2025,request,draft,\n",
                         "findings.csv": f"{FINDING_ROWS},phase\nPJ-2,2025,request,1,finding,low,cost,t,open,\n"})
    assert found == []
    assert parsed.tables["findings"].records[("PJ-2", 2025, "request", 1)]["phase"] == "development"


def test_a_closed_finding_has_a_closing_date_and_an_open_one_none():
    k = known(review_phases={("PJ-1", 2025, "request"): "requirements"})
    text = (f"{FINDING_ROWS},closed_on\nPJ-1,2025,request,1,finding,low,cost,t,closed,\n"
            "PJ-1,2025,request,2,finding,low,cost,t,withdrawn,\nPJ-1,2025,request,3,finding,low,cost,t,open,2025-05-01\n"
            "PJ-1,2025,request,4,finding,low,cost,t,in_progress,2025-05-01\nPJ-1,2025,request,5,finding,low,cost,t,closed,2025-05-01\n"
            "PJ-1,2025,request,6,finding,low,cost,t,open,\n")
    need = ("完了・取下げの指摘には完了日が必要です", "A closed or withdrawn finding needs the date it was closed")
    none = ("未完了の指摘には完了日を入れないでください", "An open finding has no closing date")
    assert problems_of("findings.csv", text, k) == [(2, "closed_on", "", *need), (3, "closed_on", "", *need),
                                                    (4, "closed_on", "2025-05-01", *none), (5, "closed_on", "2025-05-01", *none)]
    # Without the column the stored closing date stands.
    assert problems_of("findings.csv", f"{FINDING_ROWS}\nPJ-1,2025,request,1,finding,low,cost,t,closed\n", k) == []


def test_new_finding_numbers_continue_the_reviews_without_gaps():
    k = known(review_phases={("PJ-1", 2025, "request"): "requirements", ("PJ-2", 2025, "request"): "development"},
              finding_counts={("PJ-1", 2025, "request"): 2})
    text = (f"{FINDING_ROWS}\nPJ-1,2025,request,1,finding,low,cost,t,open\nPJ-1,2025,request,4,finding,low,cost,t,open\n"
            "PJ-1,2025,request,3,finding,low,cost,t,open\nPJ-1,2025,request,6,finding,low,cost,t,open\n"
            "PJ-2,2025,request,2,finding,low,cost,t,open\n")
    assert problems_of("findings.csv", text, k) == [
        (5, "number", "6", "指摘番号は連番にしてください（次は 5）", "Finding numbers must run on without gaps (next is 5)"),
        (6, "number", "2", "指摘番号は連番にしてください（次は 1）", "Finding numbers must run on without gaps (next is 1)")]
    assert problems_of("findings.csv", f"{FINDING_ROWS}\nPJ-1,2025,request,3,finding,low,cost,t,open\n", k) == []


# --- status reports ------------------------------------------------------------------------------

REPORTS = "project_id,period_end,filed_on,overall,narrative"


def test_a_status_report_covers_a_quarter_and_is_filed_after_it():
    text = (f"{REPORTS}\nPJ-X,2025-06-30,2025-07-01,green,n\nPJ-1,2025-06-29,2025-07-01,green,n\n"
            "PJ-1,2025-09-30,2025-09-29,green,n\nPJ-1,2025-12-31,2025-12-31,amber,n\n")
    assert problems_of("status_reports.csv", text) == [
        (2, "project_id", "PJ-X", *UNKNOWN_PROJECT),
        (3, "period_end", "2025-06-29", "報告期間末は四半期末（3/31・6/30・9/30・12/31）です",
         "The period must end on a quarter end (Mar 31, Jun 30, Sep 30, Dec 31)"),
        (4, "filed_on", "2025-09-29", "提出日は報告期間末以降にしてください", "A report is filed on or after the end of its period")]


def test_a_monthly_project_reports_by_month_end():
    k = known(project_frequencies={"PJ-1": "monthly", "PJ-2": "annual"})
    text = f"{REPORTS}\nPJ-1,2025-05-31,2025-06-01,green,n\nPJ-1,2025-05-30,2025-06-01,green,n\nPJ-2,2025-05-31,2025-06-01,green,n\n"
    assert problems_of("status_reports.csv", text, k) == [
        (3, "period_end", "2025-05-30", "月次報告の報告期間末は月末です", "A monthly report's period ends on a month end"),
        (4, "period_end", "2025-05-31", "報告期間末は四半期末（3/31・6/30・9/30・12/31）です",
         "The period must end on a quarter end (Mar 31, Jun 30, Sep 30, Dec 31)")]


def test_the_reporting_frequency_of_a_project_in_the_same_import_decides():
    k = known(project_frequencies={"PJ-1": "monthly", "PJ-2": "monthly"})
    _, found = run({"projects.csv": "project_id,name_ja,phase,reporting_frequency\nPJ-1,一,planning,\nPJ-2,二,planning,monthly\n",
                    "status_reports.csv": f"{REPORTS}\nPJ-1,2025-05-31,2025-06-01,green,n\nPJ-2,2025-05-31,2025-06-01,green,n\n"}, k)
    assert [f[1:3] for f in found] == [(2, "period_end")]


def test_the_overall_rating_is_a_value_of_its_scale_or_withheld():
    text = (f"{REPORTS},scale\nPJ-1,2025-06-30,2025-07-01,amber_red,n,\nPJ-1,2025-09-30,2025-10-01,amber_red,n,dca5\n"
            "PJ-1,2025-12-31,2026-01-01,3,n,dca5\nPJ-1,2026-03-31,2026-04-01,非公表,n,numeric5\n"
            "PJ-2,2025-06-30,2025-07-01,4,n,numeric5\n")
    assert problems_of("status_reports.csv", text) == [
        (2, "overall", "amber_red", "総合評価は尺度 rag3 の値（green, amber, red）または非公表です",
         "The overall rating must be one of green, amber, red on scale rag3, or withheld"),
        (4, "overall", "3", "総合評価は尺度 dca5 の値（green, amber_green, amber, amber_red, red）または非公表です",
         "The overall rating must be one of green, amber_green, amber, amber_red, red on scale dca5, or withheld")]


# --- baselines -------------------------------------------------------------------------------------

BASELINES = "project_id,kind,set_on,cost_yen,end_on,reason"


def test_a_cost_baseline_has_an_amount_and_a_schedule_baseline_a_date():
    text = (f"{BASELINES}\nPJ-X,cost,2025-04-01,1,,\nPJ-1,cost,2025-04-01,,2026-03-31,\n"
            "PJ-1,schedule,2025-04-01,5,,\nPJ-2,cost,2025-04-01,非公表,,\nPJ-2,schedule,2025-04-01,,2026-03-31,\n")
    assert problems_of("baselines.csv", text) == [
        (2, "project_id", "PJ-X", *UNKNOWN_PROJECT),
        (3, "cost_yen", "", "コストのベースラインには金額（または非公表）が必要です", "A cost baseline needs an amount (or withheld)"),
        (3, "end_on", "2026-03-31", "コストのベースラインに完了予定日は入れません", "A cost baseline has no completion date"),
        (4, "end_on", "", "スケジュールのベースラインには完了予定日が必要です", "A schedule baseline needs a completion date"),
        (4, "cost_yen", "5", "スケジュールのベースラインに金額は入れません", "A schedule baseline has no amount")]


def test_rebaselining_needs_a_reason_the_first_baseline_does_not():
    text = (f"{BASELINES}\nPJ-1,cost,2025-04-01,2,,\nPJ-1,cost,2024-04-01,1,,\nPJ-1,cost,2026-04-01,3,, \n"
            "PJ-1,cost,2027-04-01,4,,拡大\n")
    assert problems_of("baselines.csv", text) == [
        (2, "reason", "", "ベースラインの再設定には理由が必要です", "Rebaselining needs a reason"),
        (4, "reason", "", "ベースラインの再設定には理由が必要です", "Rebaselining needs a reason")]


def test_a_stored_baseline_keeps_its_reason_and_values():
    key = ("PJ-1", "cost", D(2025, 4, 1))
    k = known(baselines={("PJ-1", "cost", D(2024, 4, 1)): {"cost_yen": 1, "end_on": None, "reason": ""},
                         key: {"cost_yen": 2, "end_on": None, "reason": "拡大"}})
    # A file without the reason column leaves the stored reason; one that blanks it is refused.
    assert problems_of("baselines.csv", "project_id,kind,set_on,cost_yen\nPJ-1,cost,2025-04-01,2\n", k) == []
    assert problems_of("baselines.csv", f"{BASELINES}\nPJ-1,cost,2025-04-01,2,,\n", k) == [
        (2, "reason", "", "ベースラインの再設定には理由が必要です", "Rebaselining needs a reason")]
    assert problems_of("baselines.csv", "project_id,kind,set_on,cost_yen\nPJ-1,cost,2025-04-01,3\n", k) == [
        (2, "cost_yen", "3", "設定済みのベースラインは変更できません（再設定は新しい行と理由で）",
         "A baseline once set is not edited; rebaseline with a new row and its reason")]
    assert problems_of("baselines.csv", "project_id,kind,set_on,cost_yen\nPJ-1,cost,2023-04-01,3\n", k) == []
    k = known(baselines={("PJ-1", "schedule", D(2024, 4, 1)): {"cost_yen": None, "end_on": D(2026, 3, 31), "reason": ""}})
    assert problems_of("baselines.csv", "project_id,kind,set_on,end_on\nPJ-1,schedule,2024-04-01,2026-06-30\n", k) == [
        (2, "end_on", "2026-06-30", "設定済みのベースラインは変更できません（再設定は新しい行と理由で）",
         "A baseline once set is not edited; rebaseline with a new row and its reason")]
    # The stored first baseline is earlier: a new row is a rebaselining.
    assert problems_of("baselines.csv", "project_id,kind,set_on,end_on\nPJ-1,schedule,2025-04-01,2026-06-30\n", k) == [
        (2, "reason", "", "ベースラインの再設定には理由が必要です", "Rebaselining needs a reason")]


# --- plans ---------------------------------------------------------------------------------------

PLANS = ("plan_code,organization_code,plan_title,start_year,end_year,initiative_code,title,metric,base_year,target_year,"
         "target_reduction_pct")


def test_a_plan_names_a_known_organization_and_its_years_in_order():
    text = (f"{PLANS}\nP1,NOPE,計画,2025,2024,I1,t,total_cost,2025,2025,10\nP2,MHLW,計画,2025,2025,I1,t,total_cost,2024,2025,10\n")
    assert problems_of("plans.csv", text) == [
        (2, "organization_code", "NOPE", *UNKNOWN_ORGANIZATION),
        (2, "end_year", "2024", "最終年度は初年度以降にしてください", "The last fiscal year must not be before the first"),
        (2, "target_year", "2025", "目標年度は基準年度より後にしてください", "The target year must be after the base year")]


def test_the_rows_of_one_plan_agree_on_the_plan():
    text = (f"{PLANS},plan_description\nP1,MHLW,計画,2025,2027,I1,t,total_cost,2024,2025,10,説明\n"
            "P1,MOJ,計画B,2025,2028,I2,t,total_cost,2024,2025,10,説明\nP2,MHLW,計画,2025,2027,I1,t,total_cost,2024,2025,10,別\n"
            "P1,MHLW,計画,2025,2027,I3,t,total_cost,2024,2025,10,説明\n")
    differs = ("同じ計画の行で値が異なります（plans.csv の 2 行目と違う）", "Rows of the same plan disagree (row 2 of plans.csv differs)")
    assert problems_of("plans.csv", text) == [(3, "organization_code", "MOJ", *differs), (3, "plan_title", "計画B", *differs),
                                              (3, "end_year", "2028", *differs)]


def test_an_initiative_names_known_systems_and_projects():
    parsed, found = run({"projects.csv": "project_id,name_ja,phase\nPJ-NEW,新,planning\n",
                         "plans.csv": f"{PLANS},system_ids,project_ids\n"
                                      "P1,MHLW,計画,2025,2027,I1,t,total_cost,2024,2025,10,S1;GHOST,PJ-1;PJ-X;PJ-NEW\n"})
    assert found == [("plans.csv", 2, "system_ids", "GHOST", *UNKNOWN_SYSTEM),
                     ("plans.csv", 2, "project_ids", "PJ-X", *UNKNOWN_PROJECT)]


# --- decisions -----------------------------------------------------------------------------------

DECISIONS = "system_id,project_id,kind,merged_into_system_id,rationale,decided_on,decided_by,effective_year"


def test_a_decision_is_about_exactly_one_known_system_or_project():
    text = (f"{DECISIONS}\n,,stop,,r,2025-04-01,会議,2025\nS1,PJ-1,stop,,r,2025-04-02,会議,2025\n"
            "GHOST,,stop,,r,2025-04-03,会議,2025\n,PJ-X,stop,,r,2025-04-04,会議,2025\nS1,,stop,,r,2025-04-05,会議,2025\n"
            ",PJ-1,continue,,r,2025-04-06,会議,2025\n")
    one = ("情報システムIDとプロジェクトIDのどちらか一方だけを入れてください", "Give exactly one of system_id and project_id")
    assert problems_of("decisions.csv", text) == [(2, "system_id", " / ", *one), (3, "system_id", "S1 / PJ-1", *one),
                                                  (4, "system_id", "GHOST", *UNKNOWN_SYSTEM),
                                                  (5, "project_id", "PJ-X", *UNKNOWN_PROJECT)]


def test_a_merge_decision_names_another_known_system_to_merge_into():
    text = (f"{DECISIONS}\nS1,,stop,S2,r,2025-04-01,会議,2025\nS1,,merge,GHOST,r,2025-04-02,会議,2025\n"
            "S1,,merge,S1,r,2025-04-03,会議,2025\nS1,,merge,S2,r,2025-04-04,会議,2025\nS3,,merge,,r,2025-04-05,会議,2025\n")
    assert problems_of("decisions.csv", text) == [
        (2, "merged_into_system_id", "S2", "統合先は判断が merge のときだけ入れられます", "A merge target is only for a merge decision"),
        (3, "merged_into_system_id", "GHOST", *UNKNOWN_SYSTEM),
        (4, "merged_into_system_id", "S1", "自システムには統合できません", "A system cannot be merged into itself")]


# --- problems found while reading ----------------------------------------------------------------

def test_rows_refused_while_reading_are_reported_with_the_others():
    from mieruka.interchange.readers import Limits
    raws, _ = read_sources([Source(name="systems.csv", data=f"{SYSTEMS}\nS9,{'x' * 50},MHLW,ministry,operation\n"
                                                             "S8,名称,MHLW,ministry,operation\n".encode())],
                           Limits(cell_chars=20))
    parsed, found = validate(raws, known())
    assert [(p.file, p.row, p.column) for p in found] == [("systems.csv", 2, "name_ja")]
    assert list(parsed.tables["systems"].records) == [("S8",)]


# --- further cases: spreadsheet apostrophes, JSON cells, columns left out ------------------------------

def test_the_apostrophe_that_export_puts_before_a_formula_is_taken_off_again_but_not_in_json():
    records = records_of("systems.csv", f"{SYSTEMS}\nS9,'=1+1,MHLW,ministry,operation\n", "systems")
    assert records[("S9",)]["name_ja"] == "=1+1"
    document = ('{"format": "mieruka/1", "systems": [{"system_id": "S9", "name_ja": "\'=1+1", "organization_code": "MHLW",'
                ' "classification": "ministry", "status": "operation"}]}')
    assert records_of("all.json", document, "systems")[("S9",)]["name_ja"] == "'=1+1"


def test_budget_cells_of_a_json_file_may_be_numbers():
    document = ('{"format": "mieruka/1", "budgets": [{"system_id": "S1", "fiscal_year": 2025, "category": "operation",'
                ' "stage": "initial", "amount_yen": 7}, {"system_id": "S1", "fiscal_year": 2025, "category": "development",'
                ' "stage": "initial", "amount_yen": 8}, {"system_id": "S1", "fiscal_year": "R6", "category": "Operation",'
                ' "stage": "initial", "amount_yen": "9"}]}')
    parsed, found = run({"all.json": document})
    assert found == []
    assert parsed.tables["budgets"].records == {("S1", 2025, "operation", "initial", "ministry"): 7,
                                                ("S1", 2025, "development", "initial", "ministry"): 8,
                                                ("S1", 2024, "operation", "initial", "ministry"): 9}
    assert "amount_yen" in parsed.tables["budgets"].present


def test_a_budget_file_missing_a_key_column_is_refused_by_its_header_alone():
    for header in ("system_id,category,stage,amount_yen", "system_id,fiscal_year,stage,amount_yen",
                   "fiscal_year,category,stage,amount_yen", "system_id,fiscal_year,category,amount_yen",
                   "system_id,fiscal_year,category,stage"):
        raws, read_problems = read_sources([Source(name="budgets.csv", data=f"{header}\nS1,2025,operation,initial\n".encode())])
        assert [p.reason_en for p in read_problems] == ["A required column is missing"], header
        parsed, found = validate(raws, known())
        assert found == [] and parsed.tables["budgets"].records == {}, header


def test_a_dashboard_total_is_not_checked_when_a_budget_cell_is_bad():
    found = problems_of("budgets.csv", f"{DASHBOARD}\nS1,2020,x,1,5,,,,\nS1,2019,1,x,5,,,,\n")
    assert [f[:2] for f in found] == [(2, "operating_budget"), (3, "development_budget")]


def test_of_two_dashboard_list_rows_of_one_year_the_later_wins_and_a_code_beats_a_name():
    from mieruka.interchange import schema
    name = next(c for c in schema.SYSTEMS.column("processing_class").choices if c.value == "02").ja
    parsed, found = run({"systems.csv": f"{BASIC}\nS1,名称,01,,,2025\nS1,名称,03,{name},,2025\n"})
    assert found == []
    assert parsed.tables["systems"].records[("S1",)] == {"system_id": "S1", "processing_class": "03"}
    assert parsed.tables["systems"].where[("S1",)] == ("systems.csv", 3)


def test_a_dashboard_list_row_for_a_current_id_is_not_taken_for_a_renamed_one():
    k = known(previous_system_ids={"S2": "S1"})
    parsed, found = run({"systems.csv": f"{BASIC}\nS2,名称,04,,,2025\n"}, k)
    assert found == []
    assert list(parsed.tables["systems"].records) == [("S2",)]


def test_a_contract_file_with_systems_but_no_organization_column_takes_the_first_systems():
    head = "contract_number,title,vendor_name,method,amount_yen,fiscal_year,category,system_ids\n"
    records = records_of("contracts.csv", head + "C1,t,v,designated,1,2025,operation,S3;S2\n", "contracts")
    assert records[("C1",)]["organization_code"] == "MHLW-B"


def test_a_published_sheet_without_a_bureau_column_or_with_codes_uses_them():
    text = "府省庁,title,vendor_name,method,amount_yen,fiscal_year\n法務省,t,v,designated,1,2025\n"
    [record] = records_of("contracts.csv", text, "contracts").values()
    assert record["organization_code"] == "MOJ"
    text = "府省庁,局・庁,組織コード,title,vendor_name,method,amount_yen,fiscal_year\n厚生労働省,年金局,MOJ,t,v,designated,1,2025\n"
    [record] = records_of("contracts.csv", text, "contracts").values()
    assert record["organization_code"] == "MOJ"
    # Descriptive columns of the published sheet are accepted and not read.
    text = "府省庁,事業名,title,vendor_name,method,amount_yen,fiscal_year\n法務省,登記事業,t,v,designated,1,2025\n"
    [record] = records_of("contracts.csv", text, "contracts").values()
    assert record["organization_code"] == "MOJ" and "登記事業" not in record.values()


def test_a_stored_organization_name_is_matched_whatever_its_width_and_spacing():
    k = known(organization_parents={"MOJ": "", "MOJ-B": "MOJ"},
              organization_names={"MOJ": ("", "法務省\u3000"), "MOJ-B": ("MOJ", " ＡＢ局")})
    text = "府省庁,局・庁,title,vendor_name,method,amount_yen,fiscal_year\n法務省,AB局,t,v,designated,1,2025\n"
    [record] = records_of("contracts.csv", text, "contracts", k).values()
    assert record["organization_code"] == "MOJ-B"


def test_a_projects_file_without_the_frequency_column_keeps_the_stored_frequency():
    k = known(project_frequencies={"PJ-1": "monthly"})
    _, found = run({"projects.csv": "project_id,name_ja,phase\nPJ-1,一,planning\n",
                    "status_reports.csv": f"{REPORTS}\nPJ-1,2025-05-31,2025-06-01,green,n\n"}, k)
    assert found == []


def test_a_project_of_a_system_created_by_the_same_import_takes_that_systems_organization():
    parsed, found = run({"systems.csv": f"{SYSTEMS}\nNEW,名称,MOJ,ministry,operation\n",
                         "projects.csv": "project_id,name_ja,phase,system_ids\nP1,一,planning,NEW\n"})
    assert found == []
    assert parsed.tables["projects"].records[("P1",)]["organization_code"] == "MOJ"


def test_a_file_without_a_key_column_is_refused_by_its_header_without_its_rows_being_read():
    raws, read_problems = read_sources([Source(name="systems.csv", data=(
        "name_ja,organization_code,classification,status\n名称,NOPE,ministry,operation\n").encode())])
    assert [(p.column, p.reason_en) for p in read_problems] == [("system_id（情報システムID）", "A required column is missing")]
    parsed, found = validate(raws, known())
    assert found == [] and parsed.tables["systems"].records == {}


def test_a_decision_file_may_leave_out_the_system_or_the_project_column():
    parsed, found = run({"decisions.csv": "system_id,kind,rationale,decided_on,decided_by,effective_year\n"
                                          "S1,stop,r,2025-04-01,会議,2025\n",
                         "判断.csv": "project_id,kind,rationale,decided_on,decided_by,effective_year\n"
                                     "PJ-1,stop,r,2025-04-01,会議,2025\nPJ-X,stop,r,2025-04-02,会議,2025\n"})
    assert found == [("判断.csv", 3, "project_id", "PJ-X", *UNKNOWN_PROJECT)]
    assert sorted(parsed.tables["decisions"].records) == [("", "PJ-1", D(2025, 4, 1), "stop"),
                                                          ("", "PJ-X", D(2025, 4, 2), "stop"),
                                                          ("S1", "", D(2025, 4, 1), "stop")]


def test_a_bad_classification_is_reported_under_the_sheets_own_header_and_drops_the_whole_row():
    text = "system_id,system_name,System_Field_Code,reduction_code,year\nS1,名称,7,1,2025\n"
    parsed, found = run({"systems.csv": text})
    assert found == [("systems.csv", 2, "System_Field_Code", "7",
                      "情報処理システム分類: 選択肢にない値です（使える値: 01, 02, 03, 04, 05, 99）",
                      "情報処理システム分類 (processing_class): Unknown choice value (allowed: 01, 02, 03, 04, 05, 99)")]
    assert parsed.tables["systems"].records == {}


def test_the_columns_present_are_those_of_every_file_of_the_table():
    parsed, found = run({"systems.csv": f"{SYSTEMS},hosting\nS9,名称,MHLW,ministry,operation,gss\n",
                         "more.csv": f"{SYSTEMS},purpose\nS8,名称,MHLW,ministry,operation,目的\n"})
    assert found == []
    assert {"hosting", "purpose"} <= parsed.tables["systems"].present


def test_a_published_row_that_stops_before_the_bureau_cell_is_its_ministrys():
    text = "府省庁,title,vendor_name,method,amount_yen,fiscal_year,局・庁\n法務省,t,v,designated,1,2025\n"
    [record] = records_of("contracts.csv", text, "contracts").values()
    assert record["organization_code"] == "MOJ"


def test_a_row_shorter_than_the_header_has_its_missing_cells_blank():
    parsed, found = run({"systems.csv": f"{SYSTEMS},hosting,purpose\nS9,名称,MHLW,ministry,operation\nS8,名称,MHLW,ministry\n"})
    assert found == [("systems.csv", 3, "status", "", *REQUIRED)]
    assert parsed.tables["systems"].records[("S9",)]["hosting"] == "unknown"


def test_every_bad_cell_of_a_row_is_reported_with_what_was_written():
    found = problems_of("systems.csv", f"{SYSTEMS},hosting\nS9,  ,MHLW,ministry,running,attic\n")
    assert [f[:3] for f in found] == [(2, "name_ja", "  "), (2, "status", "running"), (2, "hosting", "attic")]


def test_a_row_shorter_than_a_trailing_blank_header_is_read():
    records = records_of("systems.csv", f"{SYSTEMS},\nS9,名称,MHLW,ministry,operation\n", "systems")
    assert list(records) == [("S9",)]


def test_a_published_row_that_stops_before_the_ministry_cell_names_none():
    text = "title,vendor_name,method,amount_yen,fiscal_year,府省庁\nt,v,designated,1,2025\n"
    assert problems_of("contracts.csv", text) == [(2, "府省庁", "", *NO_MINISTRY)]


def test_a_duplicate_key_is_reported_under_the_files_own_header():
    text = "情報システムID,情報システム名,組織コード,情報システム区分,状態\nS9,一,MHLW,ministry,operation\nS9,二,MHLW,ministry,operation\n"
    assert problems_of("systems.csv", text) == [(3, "情報システムID", "S9", "キーが重複しています（systems.csv の 2 行目と同じ）",
                                                 "Duplicate key (same as row 2 of systems.csv)")]


def test_a_duplicate_key_of_several_columns_shows_them_all():
    text = "from_system_id,to_system_id,kind\nS1,S2,data\nS1,S2,data\n"
    assert problems_of("interfaces.csv", text) == [(3, "from_system_id", "S1 / S2 / data",
                                                    "キーが重複しています（interfaces.csv の 2 行目と同じ）",
                                                    "Duplicate key (same as row 2 of interfaces.csv)")]


def test_a_budget_cell_the_export_protected_with_an_apostrophe_is_read_as_written_before():
    k = known(system_organizations={"-S4": "MOJ"})
    records = records_of("budgets.csv", f"{BUDGETS}\n'-S4,2025,operation,initial,1\n", "budgets", k)
    assert records == {("-S4", 2025, "operation", "initial", "ministry"): 1}
    records = records_of("budgets.csv", f"{DASHBOARD}\n'-S4,2025,1,2,3,,,,\n", "budgets", k)
    assert sorted(records) == [("-S4", 2025, "development", "initial", "ministry"),
                               ("-S4", 2025, "operation", "initial", "ministry")]


def test_a_duplicate_of_a_line_read_on_the_common_path_names_that_line():
    text = f"{BUDGETS}\nS1,2025,operation,initial,1\nS1,2025,development,initial,2\nS1,2025,development,initial,3\n"
    parsed, found = run({"budgets.csv": text})
    assert found == [("budgets.csv", 4, "system_id", "S1 / 2025 / development / initial / ministry",
                      "キーが重複しています（budgets.csv の 3 行目と同じ）", "Duplicate key (same as row 3 of budgets.csv)")]
    assert parsed.tables["budgets"].where[("S1", 2025, "development", "initial", "ministry")] == ("budgets.csv", 3)


def test_a_json_system_id_may_be_a_number_and_a_null_one_is_missing():
    k = known(system_organizations={"123": "MHLW"})
    document = ('{"format": "mieruka/1", "budgets": [{"system_id": 123, "fiscal_year": 2025, "category": "operation",'
                ' "stage": "initial", "amount_yen": 1}, {"system_id": null, "fiscal_year": 2025, "category": "operation",'
                ' "stage": "initial", "amount_yen": 1}]}')
    parsed, found = run({"all.json": document}, k)
    assert [f[1:] for f in found] == [(2, "system_id", "", *REQUIRED)]  # JSON rows count from the first record
    assert list(parsed.tables["budgets"].records) == [("123", 2025, "operation", "initial", "ministry")]


def test_a_dashboard_row_repeating_a_system_and_year_is_a_duplicate():
    found = problems_of("budgets.csv", f"{DASHBOARD}\nS1,2025,1,2,,,,,\nS1,2025,3,4,,,,,\n")
    assert found == [(3, "system_id", "S1 / 2025 / operation / initial / ministry",
                      "キーが重複しています（budgets.csv の 2 行目と同じ）", "Duplicate key (same as row 2 of budgets.csv)"),
                     (3, "system_id", "S1 / 2025 / development / initial / ministry",
                      "キーが重複しています（budgets.csv の 2 行目と同じ）", "Duplicate key (same as row 2 of budgets.csv)")]


# --- further rows: bad cells of every table, rows after a refused one, renames, loops, classifications ---

def test_a_budget_cell_of_spaces_is_missing_and_reported_as_written():
    found = problems_of("budgets.csv", f"{BUDGETS}\nS1,2025,  ,initial,1\nS1,2025,operation,\u3000,1\n")
    assert found == [(2, "category", "  ", *REQUIRED), (3, "stage", "\u3000", *REQUIRED)]


def test_a_bad_cell_of_the_tables_read_after_the_references_names_file_row_column_and_value():
    parsed, found = run({
        "cloud_usage.csv": "system_id,month,account,service_category,amount_yen\nS1,2025-04-01,A,compute,x\n"
                           "S1,2025-05-01,A,compute,1\n",
        "digital_staffing.csv": "organization_code,fiscal_year,internal_fte,external_fte\nMHLW,2025,-1,1\nMOJ,2025,1,1\n",
        "security_findings.csv": f"{FINDINGS}\nF1,S1,t,urgent,2025-04-01,open\nF2,S1,t,low,2025-04-01,open\n",
        "reviews.csv": f"{REVIEWS}\nPJ-1,FY,request,draft\nPJ-1,2025,request,draft\n"})
    assert found == [
        ("cloud_usage.csv", 2, "amount_yen", "x", "金額は円単位の整数で入力してください", "An amount must be whole yen"),
        ("digital_staffing.csv", 2, "internal_fte", "-1", "負の数は入力できません", "Must not be negative"),
        ("security_findings.csv", 2, "severity", "urgent", "選択肢にない値です（使える値: critical, high, medium, low）",
         "Unknown choice value (allowed: critical, high, medium, low)"),
        ("reviews.csv", 2, "fiscal_year", "FY", "年度の形式が不明です（例: 2025、2025年度、令和7年度、R7）",
         "Unknown fiscal year format (e.g. 2025, 2025年度, 令和7年度, R7)")]
    assert list(parsed.tables["cloud_usage"].records) == [("S1", D(2025, 5, 1), "A", "compute")]
    assert list(parsed.tables["digital_staffing"].records) == [("MOJ", 2025)]
    assert list(parsed.tables["security_findings"].records) == [("F2",)]
    assert list(parsed.tables["reviews"].records) == [("PJ-1", 2025, "request")]


def test_a_dashboard_row_without_classifications_does_not_stop_the_next_systems():
    parsed, found = run({"budgets.csv": f"{DASHBOARD}\nS2,2024,1,2,,,,,\nS1,2025,100,20,120,01,,1,\n"})
    assert found == []
    assert parsed.tables["systems"].records == {("S1",): {"system_id": "S1", "processing_class": "01",
                                                          "consolidation": "1"}}


def test_classifications_from_a_dashboard_sheet_keep_the_columns_of_the_systems_file():
    parsed, found = run({"systems.csv": f"{SYSTEMS},hosting\nS1,名称,MHLW,ministry,operation,gss\n",
                         "budgets.csv": f"{DASHBOARD}\nS1,2025,1,1,2,01,,2,\n"})
    assert found == []
    assert {"hosting", "name_ja", "processing_class", "consolidation"} <= parsed.tables["systems"].present


def test_organizations_in_a_loop_are_dropped_and_their_other_cells_still_checked():
    text = (f"{ORGS},corporate_number\nA,A省,ministry,B,2000012160153\nB,B局,bureau,A,\n"
            "C,C課,division,MHLW,2000012160153\nD,D係,other,NOPE,\nE,E係,other,MHLW,2000012160152\n")
    parsed, found = run({"organizations.csv": text})
    cycle = ("上位組織が循環しています", "The parent chain forms a cycle")
    digit = ("法人番号のチェックディジットが正しくありません", "Corporate number check digit is wrong")
    assert [f[1:] for f in found] == [(2, "parent_code", "B", *cycle), (2, "corporate_number", "2000012160153", *digit),
                                      (3, "parent_code", "A", *cycle), (4, "corporate_number", "2000012160153", *digit),
                                      (5, "parent_code", "NOPE", "上位組織コードが見つかりません", "Unknown parent organization")]
    assert {f[0] for f in found} == {"organizations.csv"}
    assert list(parsed.tables["organizations"].records) == [("E",)]


def test_a_record_under_its_previous_id_shows_its_whole_key_and_the_rows_after_it_are_kept():
    k = known(previous_system_ids={"OLD1": "S1", "OLD3": "S3"})
    again = "改称前のIDと現在のIDで同じレコードが2回あります（{} の 2 行目と同じ）"
    again_en = "The same record appears under its previous and its current ID (as row 2 of {})"
    parsed, found = run({"interfaces.csv": "from_system_id,to_system_id,kind\nS1,S3,data\nOLD1,S3,data\nS2,S3,data\n",
                         "decisions.csv": f"{DECISIONS}\nS1,,stop,,r,2025-04-01,会議,2025\nOLD1,,stop,,r,2025-04-01,会議,2025\n"
                                          "S2,,stop,,r,2025-04-01,会議,2025\n",
                         "projects.csv": "project_id,name_ja,phase,system_ids\nPJ-9,新規,planning,OLD3;OLD1\n"}, k)
    assert found == [("interfaces.csv", 3, "from_system_id", "OLD1 / S3 / data",
                      again.format("interfaces.csv"), again_en.format("interfaces.csv")),
                     ("decisions.csv", 3, "system_id", "OLD1 /  / 2025-04-01 / stop",
                      again.format("decisions.csv"), again_en.format("decisions.csv"))]
    assert list(parsed.tables["interfaces"].records) == [("S1", "S3", "data"), ("S2", "S3", "data")]
    assert list(parsed.tables["decisions"].records) == [("S1", "", D(2025, 4, 1), "stop"), ("S2", "", D(2025, 4, 1), "stop")]
    # Every system of the list under its previous ID: all are read as current IDs.
    assert parsed.tables["projects"].records[("PJ-9",)]["system_ids"] == ["S1", "S3"]


def test_an_organization_above_a_loop_is_refused_too_and_problems_name_their_file():
    parsed, found = run({"organizations.csv": f"{ORGS},local_government_code\nA,A課,division,B,\nB,B局,bureau,C,\n"
                                              "C,C局,bureau,B,\nL,L市,local_government,,130002\n"})
    cycle = ("上位組織が循環しています", "The parent chain forms a cycle")
    assert found == [("organizations.csv", 2, "parent_code", "B", *cycle), ("organizations.csv", 3, "parent_code", "C", *cycle),
                     ("organizations.csv", 4, "parent_code", "B", *cycle),
                     ("organizations.csv", 5, "local_government_code", "130002",
                      "地方公共団体コードのチェックディジットが正しくありません", "Local government code check digit is wrong")]
    assert parsed.tables["organizations"].records == {}


def test_an_organization_of_a_file_without_parents_may_be_the_parent_of_one_in_another_file():
    parsed, found = run({"organizations.csv": "organization_code,name_ja,kind\nNEW,新省,ministry\n",
                         "bureaus.csv": f"{ORGS}\nNEW-B,新局,bureau,NEW\n"})
    assert found == []
    assert sorted(parsed.tables["organizations"].records) == [("NEW",), ("NEW-B",)]


def test_the_new_platforms_of_every_system_are_listed():
    text = f"{SYSTEMS},platforms\nS9,名称,MHLW,ministry,operation,APF\nS8,名称,MHLW,ministry,operation,ZPF;GCAS\n" \
           "S7,名称,MHLW,ministry,operation,\n"
    parsed, found = run({"systems.csv": text})
    assert found == [] and parsed.new_platforms == ["APF", "ZPF"]


def test_a_project_that_names_its_organization_keeps_it_whatever_its_systems():
    records = records_of("projects.csv", "project_id,name_ja,phase,system_ids,organization_code\nP1,一,planning,S1,MOJ\n",
                         "projects")
    assert records[("P1",)]["organization_code"] == "MOJ"


def test_reviews_after_one_of_an_unknown_project_are_still_checked():
    text = f"{REVIEWS},reviewer\nPJ-X,2025,request,draft,alice\nPJ-1,2025,request,draft,nobody\n"
    assert problems_of("reviews.csv", text) == [(2, "project_id", "PJ-X", *UNKNOWN_PROJECT),
                                                (3, "reviewer", "nobody", "ユーザー名が見つかりません", "Unknown user name")]


def test_a_review_row_that_gives_its_phase_is_checked_against_that_phases_checklist():
    k = known(review_phases={("PJ-1", 2025, "request"): "planning"})
    parsed, found = run({"reviews.csv": f"{REVIEWS},phase,checklist\nPJ-1,2025,request,draft,development,DV-1=yes\n",
                         "findings.csv": f"{FINDING_ROWS},phase\nPJ-1,2025,request,1,finding,low,cost,t,open,\n"}, k)
    assert found == []
    assert parsed.tables["reviews"].records[("PJ-1", 2025, "request")]["checklist"] == ["DV-1=yes"]
    assert parsed.tables["findings"].records[("PJ-1", 2025, "request", 1)]["phase"] == "development"


def test_findings_after_a_refused_one_are_still_checked_and_name_their_file():
    k = known(review_phases={("PJ-1", 2025, "request"): "requirements"})
    text = (f"{FINDING_ROWS},owner\nPJ-9,2025,request,1,finding,low,cost,t,open,alice\n"
            "PJ-1,2025,request,0,finding,low,cost,t,open,alice\nPJ-1,2025,request,1,finding,low,cost,t,open,nobody\n")
    assert run({"findings.csv": text}, k)[1] == [
        ("findings.csv", 2, "project_id", "PJ-9 / 2025 / request", "レビューが見つかりません（プロジェクトID・年度・レビュー種別）",
         "Unknown review (project_id, fiscal_year, stage)"),
        ("findings.csv", 3, "number", "0", "指摘番号は1以上です", "A finding number starts at 1"),
        ("findings.csv", 4, "owner", "nobody", "ユーザー名が見つかりません", "Unknown user name")]


def test_a_row_for_the_last_stored_finding_updates_it_and_the_next_new_one_follows_it():
    k = known(review_phases={("PJ-1", 2025, "request"): "requirements"}, finding_counts={("PJ-1", 2025, "request"): 2})
    text = f"{FINDING_ROWS}\nPJ-1,2025,request,2,finding,low,cost,t,open\nPJ-1,2025,request,3,finding,low,cost,t,open\n"
    assert problems_of("findings.csv", text, k) == []


def test_a_contract_file_with_an_organization_column_but_no_systems_column_checks_the_organization():
    text = f"{CONTRACTS},organization_code\nC1,t,v,designated,1,2025,operation,NOPE\nC2,t,v,designated,1,2025,operation,MOJ\n"
    assert problems_of("contracts.csv", text) == [(2, "organization_code", "NOPE", *UNKNOWN_ORGANIZATION)]
