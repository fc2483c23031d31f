"""Docstrings: ament_pep257 over the package (skipped where it is not installed)."""
import pytest

main = pytest.importorskip('ament_pep257.main').main


@pytest.mark.linter
@pytest.mark.pep257
def test_pep257():
    # PEP 257 proper (summary on the first line), the style this package is written in; test
    # functions are exempt (their names say what they check), as are __init__/magic methods.
    rc = main(argv=['--convention', 'pep257', '--add-ignore', 'D105', 'D107', '--',
                    'snan_nav', 'benchmarks'])
    assert rc == 0, 'Found code style errors / warnings'
