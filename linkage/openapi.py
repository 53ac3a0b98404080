"""OpenAPI 3.1 fragments for the query API; portal assembles /api/v1/openapi.json from them."""

_ERROR = {"$ref": "#/components/schemas/LinkageError"}


def _error_response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ERROR}}}


PATHS = {
    "/api/v1/units/{credit_code}/rating": {
        "get": {
            "operationId": "getUnitRating",
            "summary": "单位当前安全生产诚信评级（联动部门审批系统查询）",
            "description": (
                "按统一社会信用代码查询单位当前评级、星级、证书状态、监管类别及适用的联动措施。"
                "每个联动部门使用自己的访问令牌（Authorization: Bearer <token>），每次查询均被记录。"
            ),
            "tags": ["linkage"],
            "security": [{"departmentToken": []}],
            "parameters": [
                {
                    "name": "credit_code",
                    "in": "path",
                    "required": True,
                    "description": "统一社会信用代码（18位，GB 32100-2015，含校验位）",
                    "schema": {"type": "string", "pattern": "^[0-9A-HJ-NPQRTUWXY]{18}$"},
                }
            ],
            "responses": {
                "200": {
                    "description": "单位的当前评级",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/UnitRating"}}
                    },
                },
                "400": _error_response("统一社会信用代码格式或校验位错误"),
                "401": _error_response("缺少或无效的访问令牌"),
                "403": _error_response("令牌所属部门不是联动部门或已停用"),
                "404": _error_response("未找到该单位"),
            },
        }
    }
}

SCHEMAS = {
    "LinkageError": {
        "type": "object",
        "required": ["error", "detail"],
        "properties": {
            "error": {
                "type": "string",
                "enum": ["unauthorized", "forbidden", "invalid_credit_code", "not_found"],
            },
            "detail": {"type": "string"},
        },
    },
    "MeasureBasis": {
        "type": "object",
        "description": "措施所依据的法律、法规或政策文件及条款",
        "required": ["document", "article"],
        "properties": {"document": {"type": "string"}, "article": {"type": "string"}},
    },
    "UnitRating": {
        "type": "object",
        "required": ["unit", "result", "stars", "key_monitoring", "measures"],
        "properties": {
            "unit": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "credit_code": {"type": "string"},
                    "area": {"type": "string"},
                    "industry": {"type": "string"},
                },
            },
            "result": {
                "description": "当前结果；lifted 表示无星级但已解除重点监控；null 表示尚无有效评级",
                "type": ["string", "null"],
                "enum": ["5", "4", "3", "none", "lifted", None],
            },
            "stars": {"type": ["integer", "null"], "enum": [0, 3, 4, 5, None]},
            "rating": {
                "type": ["object", "null"],
                "properties": {
                    "cycle": {"type": "integer"},
                    "label": {"type": "string"},
                    "comprehensive_score": {"type": "string", "pattern": "^\\d{1,3}\\.\\d$"},
                    "has_veto": {"type": "boolean"},
                    "published_on": {"type": "string", "format": "date"},
                    "enterprise_reply": {
                        "type": ["string", "null"],
                        "description": "企业回应：该单位自己的表述，经审核后公开，不代表本机关意见",
                    },
                },
            },
            "key_monitoring": {
                "description": "是否在重点监管名单公示期内（信用修复或最长公示期届满后为 false）",
                "type": "boolean",
            },
            "listing": {
                "description": "无星级结果的重点监管名单公示期限（其他结果为 null）",
                "type": ["object", "null"],
                "properties": {
                    "listed_on": {"type": "string", "format": "date"},
                    "severity": {"type": "string", "enum": ["general", "serious"]},
                    "repair_from": {"type": "string", "format": "date"},
                    "display_ends_on": {"type": "string", "format": "date"},
                    "repaired_on": {"type": ["string", "null"], "format": "date"},
                },
            },
            "certificate": {
                "type": ["object", "null"],
                "properties": {
                    "number": {"type": "string"},
                    "status": {"type": "string", "enum": ["valid", "expired", "revoked"]},
                    "issued_on": {"type": "string", "format": "date"},
                    "valid_until": {"type": "string", "format": "date"},
                },
            },
            "supervision_tier": {
                "type": ["object", "null"],
                "properties": {
                    "code": {"type": "string", "enum": ["self", "tracking", "key"]},
                    "label": {"type": "string"},
                },
            },
            "measures": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "department": {"type": "string"},
                        "measure": {"type": "string"},
                        "category": {
                            "type": "string",
                            "enum": ["incentive", "restriction", "notice", "review"],
                            "description": "措施类别：激励、约束、仅作通报、复核已采取的措施",
                        },
                        "basis": {"$ref": "#/components/schemas/MeasureBasis"},
                    },
                },
            },
            "measure_for_requester": {"type": ["string", "null"]},
            "policy_version": {"type": ["integer", "null"]},
        },
    },
}

SECURITY_SCHEMES = {
    "departmentToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "联动部门访问令牌，由市安全生产监管局系统管理员签发",
    }
}
