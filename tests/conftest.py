"""Test settings shared by every test file."""

from hypothesis import settings

# Property tests run the same examples on every machine and keep no example database:
# a CI failure can be reproduced anywhere, and a run never depends on an earlier one.
settings.register_profile("stakemap", derandomize=True, database=None, deadline=None)
settings.load_profile("stakemap")
