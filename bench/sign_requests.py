"""Signs requests with botocore's own SigV4 signer, for bench/mixed-load.ts (a load no one in this project wrote).

Reads one JSON object on stdin: {"endpoint", "accessKeyId", "secretAccessKey", "requests": [{"service", "params"}]}
and writes a JSON list of {"headers", "body"} on stdout, one per request, in order. Each request is signed at its
own time, one second apart and ending now, so no two are alike even with the same parameters (all stay within
SigV4's 15-minute window for a few minutes after signing).
"""
import datetime
import json
import sys
from urllib.parse import urlencode, urlsplit

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def main():
    spec = json.load(sys.stdin)
    creds = Credentials(spec["accessKeyId"], spec["secretAccessKey"])
    host = urlsplit(spec["endpoint"]).netloc
    n = len(spec["requests"])
    start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=n)
    out = []
    for i, r in enumerate(spec["requests"]):
        when = start + datetime.timedelta(seconds=i)
        botocore.auth.get_current_datetime = lambda remove_tzinfo=True, when=when: when.replace(tzinfo=None) if remove_tzinfo else when
        body = urlencode(r["params"])
        req = AWSRequest(method="POST", url=spec["endpoint"] + "/", data=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Host": host})
        botocore.auth.SigV4Auth(creds, r["service"], "us-east-1").add_auth(req)
        headers = {k: v for k, v in req.headers.items()}
        out.append({"headers": headers, "body": body})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
