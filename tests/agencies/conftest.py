from tests.family.conftest import cast, in_a  # noqa: F401  (the same cast of pupils)
