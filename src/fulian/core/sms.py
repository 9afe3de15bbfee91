"""SMS through a real provider: Alibaba Cloud (阿里云短信, dysmsapi 2017-05-25) or Tencent Cloud (腾讯云短信, sms
2021-01-11), through their official SDKs, chosen by SMS_PROVIDER; "log" keeps the logging stand-in (development).

Providers in mainland China send approved templates only, never free text: a one-time code goes with
SMS_TEMPLATE_CODE (the code its one parameter), anything else with SMS_TEMPLATE_NOTICE (the subject its one
parameter, cut to what the provider allows). A failure raises `SmsError`, whose text is safe to keep (the provider's
error code and request id — never the key, the phone's code or the request), so the outbox retries and records it.

Idempotency: the outbox's key goes to the provider (Alibaba `OutId`, Tencent `SessionContext`) and comes back in
its delivery reports (Alibaba's SmsReport `out_id`; Tencent's SendStatusSet, PullSmsSendStatus and, once enabled by
its support, the callback's `ext`), so a message sent twice can be found and matched to its row. Neither provider
refuses a second request with the same key — Alibaba's SendSms page says outright that SMS has no idempotency
(https://help.aliyun.com/document_detail/55284.htm) — so delivery is at least once: a worker that dies after the
provider accepted and before its commit sends again. A retried one-time code carries the same code (it is derived
from the row's nonce), so a duplicate costs a message, not a sign-in.
"""

import json
import logging
import re
from urllib.parse import urlsplit

from django.conf import settings

from .models import Outbox
from .outbox import outbox_sms_content, send_logged

logger = logging.getLogger("fulian.sms")

# Both SDKs retry nothing by default (the outbox retries, with its own back-off); a worker holds the message's row
# lock while it waits, so an answer that does not come is given up soon.
CONNECT_SECONDS = 3
READ_SECONDS = 10

# Template parameter lengths the providers document (a longer value is refused, not cut, by the provider):
# - Alibaba Cloud: a code template has exactly one variable of 4-6 characters (验证码模板规范,
#   https://help.aliyun.com/document_detail/463237.htm); a notice variable of the attribute "其他" (other: names,
#   accounts, addresses) takes 1-35 characters (通知短信模板规范 · 变量规范,
#   https://help.aliyun.com/document_detail/463270.htm; TemplateRule examples, document_detail/2806243.html).
#   The notice template's variable must therefore be applied for with the attribute "其他".
# - Tencent Cloud: a code variable takes at most 6 digits; a notice variable's limit is the one shown on the
#   console's template page, 12 characters for an individual's account and none for a verified organisation's
#   (正文模板审核标准 · 变量规范, https://cloud.tencent.com/document/product/382/39023 and
#   https://www.tencentcloud.com/zh/document/product/382/40659); the whole message, signature included, at most
#   500 characters. A federation's account is an organisation's: we cut at the subject's own 200.
NOTICE_LIMIT = {"aliyun": 35, "tencent": 200}
CODE_PARAMETER = "code"  # Alibaba's ${code}; Tencent's templates number their variables: {1}
NOTICE_PARAMETER = "content"  # Alibaba's ${content}
# At DEBUG these write the request, one-time code included (urllib3 the URL, where Alibaba's parameters travel)
SDK_LOGGERS = ("darabonba-core", "tencentcloud_sdk_common", "urllib3.connectionpool")

_MAINLAND_MOBILE = re.compile(r"^1[0-9]{10}$")


class SmsError(Exception):
    """A provider refused or could not be reached; the text names the provider and its error code only."""


def send_sms(message: Outbox) -> None:
    """The outbox's SMS sender: the provider chosen by SMS_PROVIDER, or the logging stand-in ("log")."""
    provider = settings.SMS_PROVIDER
    if provider == "log":
        send_logged(message)
        return
    kind, value = outbox_sms_content(message)
    phone = _mobile(message)
    template = settings.SMS_TEMPLATE_CODE if kind == "code" else settings.SMS_TEMPLATE_NOTICE
    if not template or not settings.SMS_SIGN_NAME:
        raise SmsError(f"{provider}: SMS_SIGN_NAME and SMS_TEMPLATE_{kind.upper()} must be set")
    if kind == "notice":
        value = value[: NOTICE_LIMIT[provider]]
    if not settings.DEBUG:
        for name in SDK_LOGGERS:
            logging.getLogger(name).setLevel(logging.INFO)
    send = _send_aliyun if provider == "aliyun" else _send_tencent
    request_id = send(phone=phone, template=template, kind=kind, value=value, key=message.idempotency_key)
    logger.info("sms %s to %s sent by %s (request %s)", kind, phone, provider, request_id)


def sms_settings_missing() -> list[str]:
    """The settings a real provider needs that are empty (for `check --deploy`); none for the logging stand-in."""
    if settings.SMS_PROVIDER == "log":
        return []
    names = ["SMS_SIGN_NAME", "SMS_ACCESS_KEY_ID", "SMS_ACCESS_KEY_SECRET", "SMS_TEMPLATE_CODE", "SMS_TEMPLATE_NOTICE"]
    if settings.SMS_PROVIDER == "tencent":
        names.append("SMS_SDK_APP_ID")
    return [name for name in names if not getattr(settings, name)]


def _mobile(message: Outbox) -> str:
    phone = message.address or (getattr(message.user, "phone", "") if message.user_id else "")
    if not _MAINLAND_MOBILE.match(phone or ""):
        raise SmsError("no mainland mobile number (11 digits) to send to")
    return phone


def _endpoint() -> tuple[str, str] | None:
    """(scheme, host[:port]) of SMS_ENDPOINT, or None for the provider's own endpoint."""
    if not settings.SMS_ENDPOINT:
        return None
    parts = urlsplit(settings.SMS_ENDPOINT if "//" in settings.SMS_ENDPOINT else f"https://{settings.SMS_ENDPOINT}")
    return parts.scheme, parts.netloc


def _send_aliyun(*, phone: str, template: str, kind: str, value: str, key: str) -> str:
    """Alibaba Cloud SendSms; the SDK (tea-openapi 0.4) signs with ACS3-HMAC-SHA256 (V3 signature)."""
    from alibabacloud_dysmsapi20170525.client import Client
    from alibabacloud_dysmsapi20170525.models import SendSmsRequest
    from alibabacloud_tea_openapi.utils_models import Config

    config = Config(
        access_key_id=settings.SMS_ACCESS_KEY_ID,
        access_key_secret=settings.SMS_ACCESS_KEY_SECRET,
        region_id=settings.SMS_REGION or "cn-hangzhou",
        connect_timeout=CONNECT_SECONDS * 1000,  # milliseconds
        read_timeout=READ_SECONDS * 1000,
    )
    if endpoint := _endpoint():
        config.protocol, config.endpoint = endpoint
    request = SendSmsRequest(
        phone_numbers=phone,  # the 11 digits; Alibaba takes mainland numbers without a country code
        sign_name=settings.SMS_SIGN_NAME,
        template_code=template,
        template_param=json.dumps({CODE_PARAMETER if kind == "code" else NOTICE_PARAMETER: value},
                                  ensure_ascii=False),
        out_id=key,
    )
    try:
        answer = Client(config).send_sms(request).body
    except Exception as exc:  # noqa: BLE001  (the SDK's texts may hold the request URL, code and all)
        raise SmsError(f"aliyun: {_safe_code(exc)}") from None
    if answer is None or answer.code != "OK":
        code = getattr(answer, "code", None) or "no answer"
        raise SmsError(f"aliyun: {_safe(code)} (request {_safe(getattr(answer, 'request_id', '') or '-')})")
    return answer.request_id or answer.biz_id or "-"


def _send_tencent(*, phone: str, template: str, kind: str, value: str, key: str) -> str:
    """Tencent Cloud SendSms (2021-01-11); the SDK signs with TC3-HMAC-SHA256."""
    from tencentcloud.common.credential import Credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.sms.v20210111.models import SendSmsRequest
    from tencentcloud.sms.v20210111.sms_client import SmsClient

    http = HttpProfile(reqTimeout=READ_SECONDS)
    if endpoint := _endpoint():
        http.scheme, http.endpoint = endpoint
        http.protocol = http.scheme
    request = SendSmsRequest()
    request.PhoneNumberSet = [f"+86{phone}"]  # Tencent wants E.164
    request.SmsSdkAppId = settings.SMS_SDK_APP_ID
    request.SignName = settings.SMS_SIGN_NAME
    request.TemplateId = template
    request.TemplateParamSet = [value]
    request.SessionContext = key
    try:
        client = SmsClient(Credential(settings.SMS_ACCESS_KEY_ID, settings.SMS_ACCESS_KEY_SECRET),
                           settings.SMS_REGION or "ap-guangzhou", ClientProfile(httpProfile=http))
        answer = client.SendSms(request)
    except Exception as exc:  # noqa: BLE001  (a network error's text may hold the request)
        raise SmsError(f"tencent: {_safe_code(exc)}") from None
    statuses = answer.SendStatusSet or []
    if len(statuses) != 1 or statuses[0].Code != "Ok":
        code = statuses[0].Code if statuses else "no status"
        raise SmsError(f"tencent: {_safe(code)} (request {_safe(answer.RequestId or '-')})")
    return answer.RequestId or statuses[0].SerialNo or "-"


def _safe_code(exc: Exception) -> str:
    """The provider's error code and request id from an SDK exception, never its message (which may quote the
    request): Alibaba's ClientException/ServerException carry `code`, `status_code`, `request_id`; Tencent's
    TencentCloudSDKException `code` and `requestId`; anything else (a timeout) only its class name."""
    code = getattr(exc, "code", None)
    if not code:
        inner = getattr(exc, "inner_exception", None)  # Alibaba's wrapper of a network error
        return f"{exc.__class__.__name__}({inner.__class__.__name__})" if inner else exc.__class__.__name__
    status = getattr(exc, "status_code", None)
    request_id = getattr(exc, "request_id", None) or getattr(exc, "requestId", None) or "-"
    return f"{_safe(code)}{f' HTTP {status}' if status else ''} (request {_safe(request_id)})"


def _safe(text) -> str:
    """A provider's code or id as written down: letters, digits and a few separators, 64 at most."""
    return re.sub(r"[^A-Za-z0-9._:-]", "", str(text))[:64]
