"""Style: ament_flake8 over the package (skipped where ament_flake8 is not installed)."""
import pytest

main_with_errors = pytest.importorskip('ament_flake8.main').main_with_errors


@pytest.mark.flake8
@pytest.mark.linter
def test_flake8():
    rc, errors = main_with_errors(argv=[])
    assert rc == 0, f'Found {len(errors)} code style errors / warnings:\n' + '\n'.join(errors)
