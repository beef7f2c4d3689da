"""Line-plot axes carry round tick values inside the plotted range."""

from cryoclinic.charts import _ticks


def test_ticks_are_round_steps_inside_the_range():
    assert _ticks(-66.1, 35.0) == [-60, -40, -20, 0, 20]
    assert _ticks(0.0, 3.73) == [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5]
    assert _ticks(0.0, 40.7) == [0, 10, 20, 30, 40]
