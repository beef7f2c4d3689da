"""`cryoclinic dose …` on the command line: text, --json, and a clear error with exit status 2."""

from __future__ import annotations

import json

from cryoclinic.cli import main


def test_dwell_prints_json_with_the_range(capsys):
    assert main(["dose", "dwell", "--zone", "eyelid", "--technique", "cotton_swab", "--skin", "female", "--json"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["zone"] == "eyelid" and row["shortest_s"] < row["dwell_s"] < row["longest_s"]


def test_freeze_prints_the_hold_in_text(capsys):
    args = ["dose", "freeze", "--zone", "zygoma", "--skin", "male", "--depth-mm", "1", "--diameter-mm", "4"]
    assert main([*args, "--kind", "benign"]) == 0
    out = capsys.readouterr().out
    assert "-20 °C to 2 mm" in out and "hold " in out and "thaw" in out


def test_the_table_lists_every_zone_technique_and_skin(capsys):
    assert main(["dose", "table", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 32


def test_sources_are_listed(capsys):
    assert main(["dose", "sources"]) == 0
    assert "Meng Y" in capsys.readouterr().out


def test_bad_input_exits_2_naming_the_field(capsys):
    assert main(["dose", "dwell", "--zone", "nose", "--technique", "cotton_swab", "--skin", "female"]) == 2
    assert "zone: must be one of forehead" in capsys.readouterr().err
    args = ["dose", "freeze", "--zone", "zygoma", "--skin", "male", "--depth-mm", "12", "--diameter-mm", "4"]
    assert main([*args, "--kind", "benign"]) == 2
    assert "lesion_depth_mm: must be between 0.1 and 5" in capsys.readouterr().err
