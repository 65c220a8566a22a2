"""The domain that statistics suggest for a feature: its ``domain_info`` custom statistic.

Semantic-domain statistics (and custom statistics generators) name a domain as the text of a
``Feature`` holding one field of its ``domain_info`` oneof, e.g. ``image_domain {}`` or
``time_domain {string_format: '%Y-%m-%d'}``. As TFDV, a feature with one such statistic gets
that domain when inferred, and when updated if it has no domain yet; text that is not one
domain field, or two ``domain_info`` statistics, are logged and ignored.
"""

from __future__ import annotations

import logging

from google.protobuf import text_format
from tensorflow_metadata.proto.v0 import schema_pb2, statistics_pb2

DOMAIN_INFO = "domain_info"
_DOMAIN_FIELDS = {
    f.name for f in schema_pb2.Feature.DESCRIPTOR.oneofs_by_name["domain_info"].fields
}
_log = logging.getLogger(__name__)


def suggested_domain(stats: statistics_pb2.FeatureNameStatistics) -> schema_pb2.Feature | None:
    """A ``Feature`` holding the domain that ``stats``' ``domain_info`` names, or None."""
    texts = [c.str for c in stats.custom_stats if c.name == DOMAIN_INFO and c.str]
    if not texts:
        return None
    if len(texts) > 1:
        _log.error(
            "Duplicate 'domain_info' custom_stat [%s], this is a stats bug.", ", ".join(texts)
        )
        return None
    feature = schema_pb2.Feature()
    try:
        text_format.Parse(texts[0], feature)
    except text_format.ParseError:
        feature.Clear()
    fields = feature.ListFields()
    if len(fields) != 1 or fields[0][0].name not in _DOMAIN_FIELDS:
        _log.error(
            "Could not parse 'domain_info' custom_stat: %s. It is expected to contain exactly "
            "one field of the Feature.domain_info oneof, e.g.: 'mid_domain {}'.",
            texts[0],
        )
        return None
    return feature


def apply_suggested_domain(
    feature: schema_pb2.Feature, stats: statistics_pb2.FeatureNameStatistics
) -> bool:
    """Give ``feature`` the domain that ``stats`` suggest; whether there was one."""
    domain = suggested_domain(stats)
    if domain is None:
        return False
    feature.MergeFrom(domain)
    return True
