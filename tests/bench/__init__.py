"""`make bench`: measured figures, printed, never asserted.

Each module `tests/bench/bench_<name>.py` exposes `run(report)`; `report(label, value, unit="",
target="")` prints one figure. Run all with `make bench`, or some with
`make bench BENCH_ARGS="tenancy pupils"`.
"""
