from django.test import SimpleTestCase

from mieruka.insights.graph import dependents, radial_layout

S = lambda n: ("system", n)  # noqa: E731
P = lambda n: ("platform", n)  # noqa: E731


class ImpactTests(SimpleTestCase):
    def test_a_system_depends_on_the_target_of_its_interface(self):
        # 2 calls 1, 3 calls 2: both are affected when 1 changes, 3 only through 2.
        self.assertEqual(dependents(edges=[(S(2), S(1)), (S(3), S(2))], start=S(1)), {S(2): 1, S(3): 2})

    def test_the_target_of_an_interface_does_not_depend_on_its_caller(self):
        self.assertEqual(dependents(edges=[(S(2), S(1))], start=S(2)), {})

    def test_platform_users_and_their_dependents_are_affected(self):
        edges = [(S(1), P(9)), (S(2), P(9)), (S(3), S(1)), (S(4), S(5))]
        self.assertEqual(dependents(edges=edges, start=P(9)), {S(1): 1, S(2): 1, S(3): 2})

    def test_cycles_terminate_and_do_not_include_the_start(self):
        edges = [(S(1), S(2)), (S(2), S(3)), (S(3), S(1)), (S(4), S(3))]
        self.assertEqual(dependents(edges=edges, start=S(1)), {S(3): 1, S(2): 2, S(4): 2})

    def test_the_shortest_path_gives_the_depth(self):
        edges = [(S(2), S(1)), (S(3), S(2)), (S(3), S(1))]
        self.assertEqual(dependents(edges=edges, start=S(1))[S(3)], 1)


class LayoutTests(SimpleTestCase):
    def test_the_layout_places_every_node_and_is_stable(self):
        groups = [("A", [S(1), S(2)]), ("B", [S(3)])]
        first = radial_layout(groups=groups, hubs=[P(1)])
        self.assertEqual(set(first), {S(1), S(2), S(3), P(1)})
        self.assertEqual(first, radial_layout(groups=groups, hubs=[P(1)]))
        self.assertLess(abs(complex(*first[P(1)])), abs(complex(*first[S(1)])))
