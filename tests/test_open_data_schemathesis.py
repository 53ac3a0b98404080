"""Schemathesis reads /api/v1/openapi.json and throws generated requests at every endpoint.

Valid and invalid (negative) requests alike: our own open-data endpoints must pass every default
check (no server error, documented status codes, content types and response schemas);
endpoints merged from other stages' fragments must at least never answer with a server error.
Driven through schemathesis' Python API against the WSGI application and the test database.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from public.api.openapi import PATHS
from tests.factories import UnitFactory
from tests.publication_support import publish_one as publish
from tests.publication_support import publish_results, revoke

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: a finished request must not close the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


EXAMPLES = 40


def run_operation(operation, mode: GenerationMode) -> None:
    own = operation.path in PATHS

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        if own and mode is GenerationMode.POSITIVE:
            case.call_and_validate()
        else:
            case.call_and_validate(checks=[not_a_server_error])

    try:
        check()
    except Unsatisfiable:
        # An operation without parameters has no invalid request to make.
        assert mode is GenerationMode.NEGATIVE


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_never_answers_with_a_server_error(mode):
    publish(UnitFactory(name="新郑市鑫源化工有限公司"), 2024, "88.0")
    _in_force, revoked = publish_results(
        [
            (UnitFactory(name="河南华安建筑工程有限公司"), "96.0"),
            (UnitFactory(name="郑州瞒报机械有限公司"), "90.0"),
        ],
        year=2025,
    )
    revoke(revoked, "瞒报事故。")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    # Schemathesis leaves out the document it was loaded from.
    assert {operation.path for operation in operations} >= set(PATHS) - {"/api/v1/openapi.json"}
    for operation in operations:
        run_operation(operation, mode)
