"""Mieruka's PostgreSQL connections are set up for short web queries."""

import unittest

from django.db import connection
from django.test import SimpleTestCase


@unittest.skipUnless(connection.vendor == "postgresql", "PostgreSQL only (run with DATABASE_URL=postgres://…)")
class PostgresConnectionTest(SimpleTestCase):
    databases = {"default"}

    def test_jit_compilation_is_off_so_a_sorted_list_is_not_compiled_on_every_request(self):
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            self.assertEqual(cursor.fetchone()[0], "off")
