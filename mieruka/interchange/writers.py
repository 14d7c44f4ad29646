"""Writing interchange files: CSV, XLSX and JSON exports, open data with its dictionary, and the template.

Pure (no database): they take canonical records from the selectors. Text cells a spreadsheet would run
as formulas are neutralised in CSV and XLSX; JSON keeps values as they are, typed.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable

from . import registry, schema, values

CSV_ENCODING = "utf-8-sig"  # with a BOM, so Excel opens Japanese text correctly; imports accept both


def _columns(table: str, public: bool) -> list[schema.Column]:
    return [c for c in schema.any_table(table).columns if c.public or not public]


def header_names(columns: list[schema.Column], lang: str) -> list[str]:
    return [c.ja if lang == "ja" else c.name for c in columns]


def _text_cell(value, column: schema.Column) -> str:
    text = values.to_text(value, column)
    return values.neutralize(text) if isinstance(value, str | list) else text


def csv_bytes(table: str, records: Iterable[dict], *, public: bool = False, lang: str = "en") -> bytes:
    buffer = io.StringIO(newline="")
    write_csv(buffer, table, records, public=public, lang=lang)
    return buffer.getvalue().encode(CSV_ENCODING)


def write_csv(stream, table: str, records: Iterable[dict], *, public: bool = False, lang: str = "en") -> None:
    columns = _columns(table, public)
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(header_names(columns, lang))
    for record in records:
        writer.writerow([_text_cell(record.get(c.name), c) for c in columns])


def json_document(tables: dict[str, list[dict]], *, public: bool = False) -> dict:
    document: dict = {"format": schema.FORMAT_ID}
    for name in schema.PUBLIC_TABLE_ORDER if public else (*schema.TABLE_ORDER, *schema.EXPORT_ONLY_TABLES):
        columns = _columns(name, public)
        document[name] = [{c.name: values.to_json(record.get(c.name)) for c in columns}
                          for record in tables.get(name, [])]
    if not public:
        # Tables of higher apps (registry.py): internal, never open data.
        for name, entry in registry.EXPORT_TABLES.items():
            if name in tables:
                document[name] = [{c.name: values.to_json(record.get(c.name)) for c in entry.table.columns}
                                  for record in tables[name]]
    return document


def json_bytes(tables: dict[str, list[dict]], *, public: bool = False) -> bytes:
    return (json.dumps(json_document(tables, public=public), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def xlsx_bytes(tables: dict[str, list[dict]], *, public: bool = False, lang: str = "en") -> bytes:
    """One sheet per table, named by the table; numbers and dates typed, text neutralised."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    for name in schema.TABLE_ORDER:
        table = schema.TABLES[name]
        sheet = workbook.create_sheet(table.ja if lang == "ja" else name)
        columns = _columns(name, public)
        sheet.append(header_names(columns, lang))
        for record in tables.get(name, []):
            row = []
            for column in columns:
                value = record.get(column.name)
                if column.kind in (schema.INTEGER, schema.MONEY, schema.FISCAL_YEAR) and value is not None:
                    row.append(value)
                elif column.kind == schema.DATE and value is not None:
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = "yyyy-mm-dd"
                    row.append(cell)
                else:
                    row.append(_text_cell(value, column))
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- open data -------------------------------------------------------------------------------------

KIND_NAMES = {
    schema.TEXT: ("文字列", "text"), schema.CODE: ("コード", "code"), schema.CHOICE: ("選択肢", "choice"),
    schema.CHOICE_LIST: ("選択肢のリスト（;区切り）", "list of choices (;-separated)"),
    schema.TEXT_LIST: ("文字列のリスト（;区切り）", "list of text (;-separated)"),
    schema.CODE_LIST: ("コードのリスト（;区切り）", "list of codes (;-separated)"),
    schema.INTEGER: ("0以上の整数", "integer ≥ 0"), schema.DECIMAL: ("0以上の小数（2桁まで）", "decimal ≥ 0 (2 places)"),
    schema.DATE: ("日付（YYYY-MM-DD）", "date (YYYY-MM-DD)"), schema.BOOLEAN: ("真偽値（true/false）", "boolean (true/false)"),
    schema.FISCAL_YEAR: ("年度（西暦の開始年）", "fiscal year (Western year it starts in)"),
    schema.MONEY: ("金額（円、0以上の整数）", "amount (integer yen ≥ 0)"),
    schema.PERCENT: ("百分率（-100〜100、小数1桁まで）", "percent (-100 to 100, one decimal place)"),
    schema.RATE: ("百分率（0以上、小数2桁まで）", "percent (≥ 0, two decimal places)"),
}
DICTIONARY_COLUMNS = ("table", "table_ja", "field", "field_ja", "type", "type_ja", "required", "values",
                      "description_ja", "description_en")


def data_dictionary(*, public: bool = True) -> list[dict]:
    """Every published field with its Japanese and English names, type, allowed values and meaning."""
    rows = []
    for name in schema.PUBLIC_TABLE_ORDER if public else schema.TABLE_ORDER:
        table = schema.TABLES[name]
        for column in _columns(name, public):
            type_ja, type_en = KIND_NAMES[column.kind]
            allowed = "; ".join(f"{c.value}（{c.ja}）" for c in column.choices if column.kind != schema.BOOLEAN)
            rows.append({
                "table": table.name, "table_ja": table.ja, "field": column.name, "field_ja": column.ja,
                "type": type_en, "type_ja": type_ja, "required": "true" if column.required else "false",
                "values": allowed, "description_ja": column.help_ja or column.ja,
                "description_en": column.help_en or column.name.replace("_", " "),
            })
    return rows


def data_dictionary_csv() -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=DICTIONARY_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(data_dictionary())
    return buffer.getvalue().encode(CSV_ENCODING)


def data_dictionary_json() -> bytes:
    document = {"format": schema.FORMAT_ID, "tables": [
        {"table": t.name, "table_ja": t.ja, "description_ja": t.help_ja, "description_en": t.help_en,
         "fields": [row for row in data_dictionary() if row["table"] == t.name]}
        for t in schema.TABLES.values() if t.public]}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


OPEN_DATA_README = """見える化（Mieruka）オープンデータ / Mieruka open data

政府情報システムのポートフォリオの公開部分です。内部メモなどの非公開項目は含みません。
The public part of the portfolio of government information systems; internal notes and other
restricted fields are left out.

- organizations.csv, systems.csv, budgets.csv, projects.csv, interfaces.csv: CSV (UTF-8 with BOM)
- mieruka.json: the same data as one JSON document (format mieruka/1)
- data_dictionary.csv / data_dictionary.json: 項目の定義（日本語・英語）/ field definitions (Japanese, English)

金額は円単位の整数、年度は開始年の西暦です（2025 = 2025年度 = 令和7年度）。
Amounts are integer yen; a fiscal year is the Western year it starts in (2025 = April 2025 – March 2026).
"""


def open_data_files(tables: dict[str, list[dict]]) -> dict[str, bytes]:
    """File name → content of the open-data set (tables already reduced to the public subset)."""
    files = {f"{name}.csv": csv_bytes(name, tables.get(name, []), public=True)
             for name in schema.PUBLIC_TABLE_ORDER}
    files["mieruka.json"] = json_bytes(tables, public=True)
    files["data_dictionary.csv"] = data_dictionary_csv()
    files["data_dictionary.json"] = data_dictionary_json()
    files["README.txt"] = OPEN_DATA_README.encode("utf-8")
    return files


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


# --- the template for ministries -------------------------------------------------------------------

def template_xlsx() -> bytes:
    """An empty workbook to fill in: Japanese headers, a dropdown on every choice column, instructions."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    guide = workbook.active
    guide.title = "説明"
    bold = Font(bold=True)
    guide.append(["見える化（Mieruka）取り込み用テンプレート / Mieruka import template"])
    guide["A1"].font = Font(bold=True, size=14)
    for line in (
        "各シートの2行目から1行に1件ずつ入力してください。1行目の見出しは変更しないでください。",
        "Fill in one record per row from row 2 of each sheet; keep the headers in row 1.",
        "必須の列（*）は空欄にできません。年度は 2025・2025年度・令和7年度・R7 のいずれでも構いません。",
        "Columns marked * are required. A fiscal year may be 2025, 2025年度, 令和7年度 or R7.",
        "金額は円単位の整数です（¥や桁区切りのカンマは付けても構いません）。日付は YYYY-MM-DD です。",
        "Amounts are whole yen (¥ and thousands separators are accepted). Dates are YYYY-MM-DD.",
        "複数の値（利用者・利用共通基盤など）は ; で区切ります。選択肢の列はドロップダウンから選べます。",
        "Separate several values (users, platforms, …) with ;. Choice columns offer a dropdown.",
        "取り込みは全件成功か全件中止のどちらかです。誤りがあれば、行・列・理由の一覧が表示されます。",
        "An import is all-or-nothing; any error is reported with its row, column and reason.",
        "このシート（説明）は取り込み時に無視されます。 / This sheet is ignored on import.",
    ):
        guide.append([line])
    guide.append([])
    guide.append(["シート / sheet", "列 / column", "English", "必須 / required", "種類 / type", "値 / values",
                  "説明 / description"])
    for cell in guide[guide.max_row]:
        cell.font = bold
    for name in schema.TABLE_ORDER:
        table = schema.TABLES[name]
        for column in table.columns:
            type_ja, type_en = KIND_NAMES[column.kind]
            guide.append([
                table.ja, column.ja, column.name, "*" if column.required else "", f"{type_ja} / {type_en}",
                "; ".join(f"{c.value}（{c.ja}）" for c in column.choices),
                " / ".join(filter(None, (column.help_ja, column.help_en))),
            ])
    for letter, width in zip("ABCDEFG", (14, 26, 24, 10, 30, 60, 60), strict=True):
        guide.column_dimensions[letter].width = width

    header_fill = PatternFill("solid", fgColor="DDE6F0")
    for name in schema.TABLE_ORDER:
        table = schema.TABLES[name]
        sheet = workbook.create_sheet(table.ja)
        for index, column in enumerate(table.columns, start=1):
            cell = sheet.cell(row=1, column=index, value=column.ja)
            cell.font = bold
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True)
            note = f"{column.name}{' (required / 必須)' if column.required else ''}"
            if column.help_ja or column.help_en:
                note += "\n" + " / ".join(filter(None, (column.help_ja, column.help_en)))
            cell.comment = Comment(note, "Mieruka")
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = max(14, min(40, len(column.ja) * 2 + 4))
            # A checklist cell holds code=answer pairs, so its answers are explained, not offered as a list.
            if column.choices and column.kind != schema.TEXT_LIST:
                options = [c.value for c in column.choices]
                validation = DataValidation(type="list", formula1='"' + ",".join(options) + '"',
                                            allow_blank=not column.required)
                validation.promptTitle = column.ja[:32]
                validation.prompt = "; ".join(f"{c.value}={c.ja}" for c in column.choices)[:255]
                validation.showInputMessage = True
                if column.kind == schema.CHOICE_LIST:
                    # Several values are allowed (a;b), so the dropdown offers but does not enforce.
                    validation.errorStyle = "information"
                else:
                    validation.error = "一覧から選んでください / Choose a value from the list"
                    validation.errorTitle = column.ja[:32]
                    validation.showErrorMessage = True
                sheet.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}10000")
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
