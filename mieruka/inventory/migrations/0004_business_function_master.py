"""Load the master list of the business-function taxonomy (業務機能分類).

A frozen copy of `mieruka.inventory.taxonomy.FUNCTIONS` as it stood: a migration must not change meaning
when the module later does. Codes already present are left as they are.
"""

from django.db import migrations

MASTER = [
    ('document', '文書管理・電子決裁', 'Document management and e-approval'),
    ('payroll', '人事給与', 'Personnel and payroll'),
    ('accounting', '会計', 'Accounting'),
    ('supplies', '物品管理', 'Supplies and asset management'),
    ('e_application', '電子申請', 'Online applications and notifications'),
    ('grants', '補助金等申請受付', 'Grant and subsidy applications'),
    ('survey', '統計調査・調査集計', 'Statistical surveys and tabulation'),
    ('facilities', '施設管理', 'Facility management'),
    ('training', '研修', 'Staff training'),
    ('inquiry', '相談受付', 'Inquiries and consultations'),
    ('website', 'ウェブサイト・情報発信', 'Websites and publishing'),
    ('groupware', '情報共有・グループウェア', 'Groupware and collaboration'),
    ('network', '庁内ネットワーク・端末', 'Office network and devices'),
    ('procurement', '調達・契約', 'Procurement and contracts'),
    ('diet', '国会対応', 'Diet affairs'),
]


def load(apps, schema_editor):
    BusinessFunction = apps.get_model("inventory", "BusinessFunction")
    existing = set(BusinessFunction.objects.values_list("code", flat=True))
    BusinessFunction.objects.bulk_create(
        BusinessFunction(code=code, name_ja=ja, name_en=en, order=(i + 1) * 10)
        for i, (code, ja, en) in enumerate(MASTER)
        if code not in existing
    )


def unload(apps, schema_editor):
    apps.get_model("inventory", "BusinessFunction").objects.filter(code__in=[c for c, _, _ in MASTER]).delete()


class Migration(migrations.Migration):
    dependencies = [("inventory", "0003_business_functions")]
    operations = [migrations.RunPython(load, unload)]
