"""Reports of decisions: what was delivered, acknowledged and done, for a date range.

CSV (UTF-8 with BOM, so Excel opens Chinese correctly) holds the summary; the Excel workbook
holds the summary and every notice behind it.
"""

import datetime

from django.db.models import Count, Q

from portal.spreadsheets import add_sheet, csv_bytes, new_workbook, workbook_bytes

from .models import MeasureTaken, Notice

GROUP_FIELDS = {
    "department": ("department__short_name", "部门"),
    "area": ("unit__area__name", "乡镇街道"),
    "cycle": ("rating__cycle__name", "考核周期"),
}
SUMMARY_HEADERS = ["通报数", "已送达", "已签收", "已采取措施", "给予激励", "实施限制", "其他措施"]
DETAIL_HEADERS = [
    "考核周期",
    "单位名称",
    "统一社会信用代码",
    "乡镇街道",
    "部门",
    "事项",
    "结果",
    "适用措施",
    "矩阵版本",
    "生成时间",
    "送达时间",
    "签收时间",
    "已采取措施",
]


def notices_in(
    date_from: datetime.date, date_to: datetime.date, cycle=None, area=None, department=None
):
    notices = Notice.objects.filter(created_at__date__gte=date_from, created_at__date__lte=date_to)
    if cycle:
        notices = notices.filter(rating__cycle=cycle)
    if area:
        notices = notices.filter(unit__area=area)
    if department:
        notices = notices.filter(department=department)
    return notices


def summary_rows(notices, group_by: str) -> tuple[list[str], list[list]]:
    field, label = GROUP_FIELDS[group_by]
    kinds = MeasureTaken.Kind
    rows = (
        notices.values(field)
        .annotate(
            total=Count("pk", distinct=True),
            delivered=Count("pk", filter=Q(delivered_at__isnull=False), distinct=True),
            acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False), distinct=True),
            acted=Count("pk", filter=Q(measures_taken__isnull=False), distinct=True),
            granted=Count("pk", filter=Q(measures_taken__kind=kinds.GRANTED), distinct=True),
            restricted=Count("pk", filter=Q(measures_taken__kind=kinds.RESTRICTED), distinct=True),
            other=Count("pk", filter=Q(measures_taken__kind=kinds.OTHER), distinct=True),
        )
        .order_by(field)
    )
    keys = ["total", "delivered", "acknowledged", "acted", "granted", "restricted", "other"]
    return [label, *SUMMARY_HEADERS], [[row[field], *(row[k] for k in keys)] for row in rows]


def _local(value):
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def detail_rows(notices):
    notices = (
        notices.select_related("rating__cycle", "unit__area", "department", "policy_version")
        .annotate(acted=Count("measures_taken"))
        .order_by("created_at", "pk")
    )
    for notice in notices.iterator(chunk_size=2000):
        yield [
            notice.rating.cycle.name,
            notice.unit.name,
            notice.unit.credit_code,
            notice.unit.area.name,
            notice.department.short_name,
            notice.get_event_display(),
            notice.get_result_display(),
            notice.measure,
            f"v{notice.policy_version.number}",
            _local(notice.created_at),
            _local(notice.delivered_at),
            _local(notice.acknowledged_at),
            notice.acted,
        ]


def to_csv(notices, group_by: str) -> bytes:
    headers, rows = summary_rows(notices, group_by)
    return csv_bytes(headers, rows)


def to_xlsx(notices, group_by: str) -> bytes:
    workbook = new_workbook()
    headers, rows = summary_rows(notices, group_by)
    add_sheet(workbook, "汇总", headers, rows)
    add_sheet(workbook, "通报明细", DETAIL_HEADERS, detail_rows(notices))
    return workbook_bytes(workbook)
