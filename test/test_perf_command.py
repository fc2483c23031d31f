"""``snan-nav perf`` contract: runs on tiny grids, JSON keys, clear errors (no timing limits)."""
import json
import os

import pytest

from snan_nav.bench import perf_command
from snan_nav.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROW_KEYS = {'grid', 'n_neurons', 'core_ticks_per_s', 'reference_ticks_per_s',
            'seed_form_ticks_per_s', 'ratio', 'ratio_seed_form', 'decision_latency_us',
            'compile_s', 'peak_rss_mb'}


def test_perf_command_json_contract(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    out = tmp_path / 'perf.json'
    rc = main(['perf', '--grids', '3,4x4', '--ticks', '400', '--ref-seconds', '0.05',
               '--latency-decisions', '10', '--check-decisions', '8', '--json', str(out)])
    printed = capsys.readouterr().out
    assert rc == 0
    report = json.loads(out.read_text())
    assert set(report) == {'grids'}
    assert [row['grid'] for row in report['grids']] == ['3x3', '4x4']
    for row in report['grids']:
        assert set(row) == ROW_KEYS
        assert set(row['decision_latency_us']) == {'median', 'p99'}
        assert row['n_neurons'] == int(row['grid'].split('x')[0]) ** 2 + 4
        for key in ('core_ticks_per_s', 'reference_ticks_per_s', 'seed_form_ticks_per_s',
                    'ratio', 'ratio_seed_form', 'compile_s', 'peak_rss_mb'):
            assert row[key] > 0, key
        assert row['ratio'] == pytest.approx(
            row['core_ticks_per_s'] / row['reference_ticks_per_s'])
    assert 'MATCH' in printed and 'MISMATCH' not in printed
    assert printed.count('PASS') + printed.count('FAIL') + printed.count('n/a ') >= 5
    assert 'ticks run' in printed


@pytest.mark.parametrize('argv', [
    ['perf', '--grids', '10x12'],
    ['perf', '--grids', '1'],
    ['perf', '--ticks', '0'],
    ['perf', '--ref-seconds', 'soon'],
])
def test_perf_command_rejects_bad_input(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert 'snan-nav perf: error' in capsys.readouterr().err


def test_perf_command_says_when_the_checkout_is_missing(monkeypatch, capsys):
    monkeypatch.setattr(perf_command, 'find_source_root', lambda: None)
    assert main(['perf', '--grids', '3']) == 2
    assert 'source checkout' in capsys.readouterr().err


def test_source_root_is_found_from_the_checkout(monkeypatch):
    monkeypatch.chdir(os.path.join(ROOT, 'test'))
    monkeypatch.delenv(perf_command.ENV_SOURCE, raising=False)
    assert perf_command.find_source_root() == ROOT
