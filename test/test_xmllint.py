"""package.xml against its schema: ament_xmllint (not on the index; skipped where absent)."""
import pytest

main = pytest.importorskip('ament_xmllint.main').main


@pytest.mark.linter
@pytest.mark.xmllint
def test_xmllint():
    rc = main(argv=[])
    assert rc == 0, 'Found errors'
