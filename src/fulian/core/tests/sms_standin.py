"""Local stand-ins for Alibaba Cloud's and Tencent Cloud's SMS APIs: an HTTP server on 127.0.0.1 that checks each
request's signature the way the provider documents it — written here from the documents, not borrowed from the
SDKs, so a test fails if an SDK signs wrongly or our sender hands it the wrong key — and answers like the provider.

    with AliyunStandIn(key_id="LTAI-test", secret="s3cret") as provider:
        settings.SMS_ENDPOINT = provider.endpoint
        ...
        provider.received  # the parameters of each request that passed the signature check
        provider.refused   # the provider's error code for each request that did not

Alibaba: ACS3-HMAC-SHA256, https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature
Tencent: TC3-HMAC-SHA256, https://cloud.tencent.com/document/api/382/52072 (签名方法 v3)
"""

import datetime as dt
import hashlib
import hmac
import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlsplit


class StandIn:
    """The server part; a provider subclass says how to check a request and what to answer."""

    def __init__(self, *, key_id: str, secret: str, fail_with: str = ""):
        self.key_id, self.secret = key_id, secret
        self.fail_with = fail_with  # a business error code to answer after a good signature (quota, bad number)
        self.down = False  # answer every request with 503 from a gateway, as an outage does
        self.received: list[dict] = []
        self.refused: list[str] = []
        self._lock = threading.Lock()

    def __enter__(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802  (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if standin.down:
                    status, content_type, data = 503, "text/html", b"<html><body>503 Service Unavailable</body></html>"
                else:
                    status, answer = standin.handle(self.command, self.path, self.headers, body)
                    content_type, data = standin.content_type, json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST  # noqa: N815

            def log_message(self, *args):  # keep test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01},
                                       daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def handle(self, method, path, headers, body):
        refusal = self.check(method, path, headers, body)
        if refusal is not None:
            with self._lock:
                self.refused.append(refusal[1])
            return self.refuse(*refusal)
        params = self.params(path, headers, body)
        with self._lock:
            self.received.append(params)
        return self.answer(params)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


class AliyunStandIn(StandIn):
    """dysmsapi.aliyuncs.com's SendSms (RPC style, API version 2017-05-25), signed with the V3 signature."""

    content_type = "application/json;charset=utf-8"
    MUST_SIGN = {"host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce",
                 "x-acs-content-sha256"}
    AUTHORIZATION = re.compile(r"^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([a-z0-9;-]+),"
                               r"Signature=([0-9a-f]{64})$")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.nonces: set[str] = set()

    def check(self, method, path, headers, body):
        match = self.AUTHORIZATION.match(headers.get("Authorization") or "")
        if not match:
            return 400, "IncompleteSignature"
        key_id, signed, signature = match.groups()
        if key_id != self.key_id:
            return 404, "InvalidAccessKeyId.NotFound"
        names = signed.split(";")
        if not set(names) >= self.MUST_SIGN or names != sorted(names):
            return 400, "IncompleteSignature"
        if headers.get("x-acs-content-sha256") != _sha256(body):
            return 400, "IncompleteSignature"
        url = urlsplit(path)
        # RFC 3986 encoding of each name and value (space as %20, ~ kept), sorted by name
        query = "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}"
                         for k, v in sorted(parse_qsl(url.query, keep_blank_values=True)))
        canonical_headers = "".join(f"{name}:{(headers.get(name) or '').strip()}\n" for name in names)
        canonical = "\n".join([method, url.path or "/", query, canonical_headers, signed, _sha256(body)])
        expected = hmac.new(self.secret.encode(), f"ACS3-HMAC-SHA256\n{_sha256(canonical.encode())}".encode(),
                            hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, signature):
            return 400, "SignatureDoesNotMatch"
        nonce = headers.get("x-acs-signature-nonce")
        if nonce in self.nonces:
            return 400, "SignatureNonceUsed"  # a replayed request is refused
        self.nonces.add(nonce)
        if headers.get("x-acs-action") != "SendSms" or headers.get("x-acs-version") != "2017-05-25":
            return 400, "InvalidAction.NotFound"
        return None

    def params(self, path, headers, body):
        params = dict(parse_qsl(urlsplit(path).query, keep_blank_values=True))
        if body and "form-urlencoded" in (headers.get("Content-Type") or ""):
            params.update(parse_qsl(body.decode(), keep_blank_values=True))
        if "TemplateParam" in params:
            params["TemplateParam"] = json.loads(params["TemplateParam"])
        return params

    def refuse(self, status, code):
        return status, {"RequestId": str(uuid.uuid4()).upper(), "HostId": "dysmsapi.aliyuncs.com", "Code": code,
                        "Message": "Specified signature does not match our calculation.",
                        "Recommend": "https://api.aliyun.com/troubleshoot"}

    def answer(self, params):
        request_id = str(uuid.uuid4()).upper()
        if self.fail_with:  # business errors come with HTTP 200, as the provider answers them
            return 200, {"Code": self.fail_with, "Message": "触发分钟级流控Permits:1", "RequestId": request_id}
        return 200, {"Code": "OK", "Message": "OK", "BizId": f"{len(self.received)}^0", "RequestId": request_id}


class TencentStandIn(StandIn):
    """sms.tencentcloudapi.com's SendSms (API version 2021-01-11), signed with TC3-HMAC-SHA256."""

    content_type = "application/json"
    AUTHORIZATION = re.compile(r"^TC3-HMAC-SHA256 Credential=([^/]+)/(\d{4}-\d{2}-\d{2})/([a-z]+)/tc3_request, "
                               r"SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$")

    def check(self, method, path, headers, body):
        match = self.AUTHORIZATION.match(headers.get("Authorization") or "")
        if not match:
            return 200, "AuthFailure.InvalidAuthorization"
        secret_id, date, service, signed, signature = match.groups()
        if secret_id != self.key_id:
            return 200, "AuthFailure.SecretIdNotFound"
        names = signed.split(";")
        timestamp = int(headers.get("X-TC-Timestamp") or 0)
        if abs(time.time() - timestamp) > 300:
            return 200, "AuthFailure.SignatureExpire"
        if ({"content-type", "host"} - set(names) or service != "sms"
                or date != dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d")):
            return 200, "AuthFailure.SignatureFailure"
        url = urlsplit(path)
        canonical_headers = "".join(f"{name}:{(headers.get(name) or '').strip().lower()}\n" for name in names)
        canonical = "\n".join([method, url.path or "/", url.query, canonical_headers, signed, _sha256(body)])
        scope = f"{date}/{service}/tc3_request"
        to_sign = f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{_sha256(canonical.encode())}"
        key = _hmac(_hmac(_hmac(f"TC3{self.secret}".encode(), date), service), "tc3_request")
        if not hmac.compare_digest(hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest(), signature):
            return 200, "AuthFailure.SignatureFailure"
        if headers.get("X-TC-Action") != "SendSms" or headers.get("X-TC-Version") != "2021-01-11":
            return 200, "InvalidAction"
        return None

    def params(self, path, headers, body):
        return json.loads(body)

    def refuse(self, status, code):
        return status, {"Response": {"Error": {"Code": code, "Message": "The provided credentials could not be "
                                                                        "validated."},
                                     "RequestId": str(uuid.uuid4())}}

    def answer(self, params):
        code, message = (self.fail_with, "the number has reached its daily limit") if self.fail_with else \
            ("Ok", "send success")
        return 200, {"Response": {"SendStatusSet": [
            {"SerialNo": f"2640:{len(self.received)}", "PhoneNumber": number, "Fee": 1,
             "SessionContext": params.get("SessionContext", ""), "Code": code, "Message": message, "IsoCode": "CN"}
            for number in params.get("PhoneNumberSet", [])], "RequestId": str(uuid.uuid4())}}
