"""Licence headers: ament_copyright (not on the package index; skipped where absent)."""
import pytest

main = pytest.importorskip('ament_copyright.main').main


@pytest.mark.copyright
@pytest.mark.linter
def test_copyright():
    rc = main(argv=['.', 'test'])
    assert rc == 0, 'Found errors'
