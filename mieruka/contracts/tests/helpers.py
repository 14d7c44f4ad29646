"""Building contracts for tests (through the service, so derived fields are as stored in real use)."""

from mieruka.contracts.services import contract_create
from mieruka.core.audit import Actor

# Valid 法人番号 (check digit computed, see organizations/validators.py).
VENDOR_A = "1010001000006"
VENDOR_B = "2010001000005"

_counter = iter(range(1, 1_000_000))


def contract(*, systems=(), actor: Actor | None = None, **kwargs):
    data = {
        "contract_number": f"C-{next(_counter):05d}", "title": "システム運用保守業務", "vendor_name": "株式会社テスト情報システム",
        "vendor_corporate_number": VENDOR_A, "method": "general_lowest", "bidders_count": 3,
        "estimated_price_yen": 100_000_000, "amount_yen": 95_000_000, "fiscal_year": 2025, "category": "operation",
        "systems": list(systems),
    }
    data.update(kwargs)
    return contract_create(actor=actor or Actor(user=None, name="test", source="cli"), data=data)
