"""Counters per bundle (deadletter.BundleCounts, CountingDoFn): the same counter names and
totals as one Beam counter increment per event, including counters incremented by 0."""

import apache_beam as beam
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import PipelineOptions

from transforms.deadletter import NAMESPACE, BundleCounts, CountingDoFn, count, count_reasons

ITEMS = [("a", ["x", "y", "x"]), ("b", []), ("c", ["y"]), ("d", ["z", "z"])]


class PerIncrement(beam.DoFn):
    def process(self, item):
        name, reasons = item
        count_reasons("per_", reasons)
        count("per_seen")
        count("per_reasons", len(reasons))
        yield name


class PerBundle(CountingDoFn):
    def process(self, item):
        name, reasons = item
        self.counts.add_reasons("per_", reasons)
        self.counts.add("per_seen")
        self.counts.add("per_reasons", len(reasons))
        yield name


def counters(dofn: beam.DoFn) -> dict[str, int]:
    """Run dofn over ITEMS on the local runner; its counters of NAMESPACE by name."""
    pipeline = beam.Pipeline(options=PipelineOptions(runner="DirectRunner"))
    _ = pipeline | beam.Create(ITEMS) | beam.ParDo(dofn)
    result = pipeline.run()
    result.wait_until_finish()
    found = result.metrics().query(MetricsFilter().with_namespace(NAMESPACE))["counters"]
    return {c.key.metric.name: c.committed for c in found}


def test_per_bundle_counters_have_the_names_and_totals_of_per_increment_ones():
    expected = {"per_x": 2, "per_y": 2, "per_z": 2, "per_seen": 4, "per_reasons": 6}
    assert counters(PerIncrement()) == expected
    assert counters(PerBundle()) == expected


def test_bundle_counts_sum_in_memory_and_keep_zero_increments():
    counts = BundleCounts()
    counts.add("kept", 0)
    counts.add("seen")
    counts.add("seen", 2)
    counts.add_reasons("removed_", iter(["menu", "menu", "share"]))
    assert counts.totals == {"kept": 0, "seen": 3, "removed_menu": 2, "removed_share": 1}
