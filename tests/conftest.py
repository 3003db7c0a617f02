"""Shared test setup: tests that inherit this process's environment (tests/test_end_to_end.py) index without
adapting the model, like those that clear it (tests/fakes.py, NO_AUTO_ADAPT)."""

import os

from tests.fakes import NO_AUTO_ADAPT

for _name, _value in NO_AUTO_ADAPT.items():
    os.environ.setdefault(_name, _value)
