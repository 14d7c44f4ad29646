"""What an integrator writes against the client generated from /api/schema/ (type-checked by mypy in
test_generated_client.py, then run). Not collected by pytest; imported from the generated package."""

from __future__ import annotations

import urllib.parse
from typing import Any

from mieruka_client import AuthenticatedClient
from mieruka_client.api.systems import systems_list, systems_partial_update, systems_retrieve
from mieruka_client.models import ErrorResponse, PaginatedSystemOutputList, PatchedSystemInput, SystemOutput
from mieruka_client.models.system_status_enum import SystemStatusEnum


def run(client: AuthenticatedClient, system_id: str) -> dict[str, Any]:
    everything = systems_list.sync(client=client, limit=10)
    assert isinstance(everything, PaginatedSystemOutputList)

    important = systems_list.sync(client=client, organization="MHLW", important=True,
                                  status=SystemStatusEnum.OPERATION)
    assert isinstance(important, PaginatedSystemOutputList)

    read = systems_retrieve.sync_detailed(system_id, client=client)
    assert isinstance(read.parsed, SystemOutput)
    etag = read.headers["ETag"]

    changed = systems_partial_update.sync_detailed(
        system_id, client=client, if_match=etag,
        x_change_reason=urllib.parse.quote("目的の見直し"),
        body=PatchedSystemInput(purpose="給付記録の管理"),
    )
    assert isinstance(changed.parsed, SystemOutput)

    stale = systems_partial_update.sync_detailed(
        system_id, client=client, if_match=etag, x_change_reason=urllib.parse.quote("再送"),
        body=PatchedSystemInput(purpose="古い版に基づく変更"),
    )
    assert isinstance(stale.parsed, ErrorResponse)

    return {
        "count": everything.count,
        "important": [s.system_id for s in important.results],
        "read": read.parsed.name_ja,
        "changed": (int(changed.status_code), changed.parsed.purpose, changed.headers["ETag"] != etag),
        "stale": (int(stale.status_code), stale.parsed.error.code),
    }
