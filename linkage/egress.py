"""Where the platform may send webhooks: public addresses only, unless named in a setting.

A department's endpoint is typed by a bureau administrator; without this check it could be
``http://127.0.0.1:6379/`` (our own Redis) or ``http://169.254.169.254/`` (a cloud's metadata
service). Host names are resolved when the endpoint is saved and again before every delivery,
so a name that later resolves to an inside address (DNS rebinding) is refused then too.
A government intranet may name its internal ranges in LINKAGE_WEBHOOK_ALLOWED_NETWORKS.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from portal.refusals import Refused


def _allowed_networks():
    return [
        ipaddress.ip_network(value, strict=False) for value in settings.WEBHOOK_ALLOWED_NETWORKS
    ]


def _is_permitted(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip in network for network in _allowed_networks()):
        return True
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> list[str]:
    try:
        answers = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise Refused(_("无法解析主机名 %(host)s。") % {"host": host}) from error
    return sorted({answer[4][0] for answer in answers})


def check_endpoint(url: str) -> list[str]:
    """The addresses ``url`` resolves to, all permitted; else Refused."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(_("Webhook 地址须以 http:// 或 https:// 开头并包含主机名。"))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise Refused(_("端口号无效。")) from error
    addresses = resolve(parts.hostname, port)
    refused = [address for address in addresses if not _is_permitted(address)]
    if refused:
        raise Refused(
            _("不能向本机、内网或链路本地地址（%(addresses)s）发送通报。")
            % {"addresses": "、".join(refused)}
        )
    return addresses
