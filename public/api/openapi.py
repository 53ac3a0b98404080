"""The OpenAPI 3.1 document of every API endpoint of the project.

Open data (this module) plus the fragment linkage documents for its authenticated API
(``linkage.openapi.PATHS``/``SCHEMAS``/``SECURITY_SCHEMES``, merged here).
Field names here are the stable contract of the open data: see PUBLIC_FIELDS.
"""

import copy

from django.http import JsonResponse
from django.views.decorators.http import require_safe

from linkage import openapi as linkage_openapi
from portal.access import public
from public.filters import filter_choices
from public.results import PUBLIC_FIELDS

from .views import MAX_PAGE, MAX_PAGE_SIZE

NULLABLE_STRING = {"type": ["string", "null"]}

RATING_PROPERTIES = {
    "id": {"type": "integer", "description": "评级结果编号（稳定，按公布先后递增）"},
    "credit_code": {"type": "string", "description": "统一社会信用代码（18位）"},
    "unit_name": {"type": "string", "description": "单位名称"},
    "area": {"type": "string", "description": "所属乡镇街道"},
    "industry": {"type": "string", "description": "行业"},
    "cycle": {"type": "integer", "description": "考核年度"},
    "cycle_name": {"type": "string", "description": "考核周期名称，如“2025年度”"},
    "star": {"type": "integer", "enum": [0, 3, 4, 5], "description": "星级；0 为无星级"},
    "star_label": {"type": "string", "description": "星级名称"},
    "published_on": {"type": "string", "format": "date", "description": "公布日期"},
    "certificate_number": {**NULLABLE_STRING, "description": "证书编号（无星级为 null）"},
    "certificate_valid_until": {
        "type": ["string", "null"],
        "format": "date",
        "description": "证书有效期至",
    },
    "certificate_status": {
        "type": ["string", "null"],
        "enum": ["valid", "expired", "revoked", None],
        "description": "证书状态：valid 有效、expired 已过期、revoked 已撤销",
    },
    "revoked": {"type": "boolean", "description": "评级结果是否已撤销"},
    "revoked_on": {"type": ["string", "null"], "format": "date", "description": "撤销日期"},
    "revocation_reason": {**NULLABLE_STRING, "description": "撤销理由（公开）"},
    "url": {"type": "string", "description": "单位公开页面地址"},
    "enterprise_reply": {
        **NULLABLE_STRING,
        "maxLength": 300,
        "description": "企业回应：该单位自己的表述（纯文本），经市安全生产监管局审核后公开，"
        "不代表本机关意见；该结果被新结果取代后为 null",
    },
    "enterprise_reply_published_on": {
        "type": ["string", "null"],
        "format": "date",
        "description": "企业回应公开日期",
    },
}

SCHEMAS = {
    "Rating": {
        "type": "object",
        "required": list(PUBLIC_FIELDS),
        "properties": RATING_PROPERTIES,
        "additionalProperties": False,
    },
    "RatingPage": {
        "type": "object",
        "required": [
            "count",
            "count_capped",
            "page",
            "page_size",
            "num_pages",
            "next",
            "previous",
            "results",
        ],
        "properties": {
            "count": {
                "type": "integer",
                "minimum": 0,
                "description": "Matches; for a name search (q, name) counted up to 1,000.",
            },
            "count_capped": {
                "type": "boolean",
                "description": "True when a name search matched more than count: narrow it.",
            },
            "page": {"type": "integer", "minimum": 1},
            "page_size": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            "num_pages": {"type": "integer", "minimum": 1},
            "next": NULLABLE_STRING,
            "previous": NULLABLE_STRING,
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/Rating"}},
        },
    },
    "Errors": {
        "type": "object",
        "required": ["errors"],
        "properties": {
            "errors": {
                "type": "object",
                "description": "按参数名列出的错误信息",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            }
        },
    },
}


def _query(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def _text(max_length: int) -> dict:
    # NUL cannot be stored or searched in PostgreSQL text; it is refused with a 400.
    return {"type": "string", "maxLength": max_length, "pattern": "^[^\\u0000]*$"}


def filters() -> list[dict]:
    """Query filters; areas, industries and cycles are data, so their values are listed live."""
    choices = filter_choices()
    areas, industries = choices["areas"], choices["industries"]
    years = [str(year) for year in choices["years"]]
    return [
        _query("q", _text(100), "单位名称片段或统一社会信用代码"),
        _query("name", _text(100), "单位名称片段（两个字以上走索引）"),
        _query("credit_code", _text(30), "统一社会信用代码，精确匹配（忽略空格和大小写）"),
        _query("area", {"type": "string", "enum": areas}, "乡镇街道名称，如“新建路街道”"),
        _query("industry", {"type": "string", "enum": industries}, "行业名称，如“危险化学品”"),
        _query("star", {"type": "integer", "enum": [0, 3, 4, 5]}, "星级；0 为无星级"),
        _query(
            "cycle",
            {"type": "string", "enum": [*years, "all"]},
            "考核年度；缺省为每个单位的现行结果（不限年度），all 为全部年度",
        ),
    ]


PAGING = [
    _query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "页码，从 1 开始"),
    _query(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
        "每页条数，默认 50",
    ),
]
ERRORS_400 = {
    "description": "参数错误",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
}

PATHS = {
    "/api/v1/ratings/": {
        "get": {
            "operationId": "listRatings",
            "summary": "已公布的评级结果（分页，按 id 升序）",
            "tags": ["open-data"],
            "responses": {
                "200": {
                    "description": "一页评级结果",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/RatingPage"}}
                    },
                },
                "400": ERRORS_400,
                "404": {
                    "description": "页码超出范围",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}
                    },
                },
            },
        }
    },
    "/api/v1/ratings.csv": {
        "get": {
            "operationId": "downloadRatingsCsv",
            "summary": "同上筛选条件的全部结果，CSV（UTF-8 带 BOM），首行为字段名",
            "tags": ["open-data"],
            "responses": {
                "200": {
                    "description": "CSV 文件",
                    "content": {"text/csv": {"schema": {"type": "string"}}},
                },
                "400": ERRORS_400,
            },
        }
    },
    "/feeds/ratings.atom": {
        "get": {
            "operationId": "ratingsFeed",
            "summary": "评级结果公布与撤销的 Atom 订阅",
            "tags": ["open-data"],
            "responses": {
                "200": {
                    "description": "Atom 1.0",
                    "content": {"application/atom+xml": {"schema": {"type": "string"}}},
                }
            },
        }
    },
    "/api/v1/openapi.json": {
        "get": {
            "operationId": "openapi",
            "summary": "本文档",
            "tags": ["meta"],
            "responses": {
                "200": {
                    "description": "OpenAPI 3.1",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    },
    "/api/v1/docs/": {
        "get": {
            "operationId": "apiDocs",
            "summary": "本文档的网页版",
            "tags": ["meta"],
            "responses": {
                "200": {
                    "description": "HTML",
                    "content": {"text/html": {"schema": {"type": "string"}}},
                }
            },
        }
    },
}


def document() -> dict:
    paths = copy.deepcopy(PATHS)
    paths["/api/v1/ratings/"]["get"]["parameters"] = [*filters(), *PAGING]
    paths["/api/v1/ratings.csv"]["get"]["parameters"] = filters()
    components = {
        "schemas": {**SCHEMAS, **linkage_openapi.SCHEMAS},
        "securitySchemes": dict(linkage_openapi.SECURITY_SCHEMES),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "安全生产诚信联动平台 API",
            "version": "1.0.0",
            "description": (
                "公开数据：已公布的安全生产诚信评级结果（JSON、CSV、Atom），仅含《分级公开》"
                "规定向社会公开的字段；联动部门接口需认证。"
            ),
        },
        "servers": [{"url": "/"}],
        "paths": {**paths, **linkage_openapi.PATHS},
        "components": components,
    }


@public
@require_safe
def openapi(request):
    return JsonResponse(document(), json_dumps_params={"ensure_ascii": False})
