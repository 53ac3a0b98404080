from django.apps import apps

from assessments.defaults import load_default_standard
from units.defaults import load_reference_data


def run(out) -> None:
    load_reference_data(apps)
    load_default_standard(apps)
    out("参考数据：乡镇街道、行业、部门、默认评分标准 ✓")
