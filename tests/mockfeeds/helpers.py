"""Small helpers shared by the mock platform tests."""

import json

from django.test import Client

TOKEN = {"HTTP_AUTHORIZATION": "Bearer test-token"}


def body(response):
    return json.loads(response.content)


def control(client: Client, payload: dict):
    response = client.post(
        "/mock/_control", data=json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return body(response)
