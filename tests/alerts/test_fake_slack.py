"""The fake Slack Web API itself, as other areas use it: auth, history, file upload v2, scripted failures."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.support.fake_slack import FakeSlack


def test_auth_post_history_and_file_upload(fake_slack: FakeSlack) -> None:
    client = WebClient(token="xoxb-test", base_url=fake_slack.url)
    assert client.auth_test()["ok"]
    posted = client.chat_postMessage(
        channel="#reports", text="hello", metadata={"event_type": "t", "event_payload": {"k": 1}}
    )
    history = client.conversations_history(channel=posted["channel"], include_all_metadata=True)
    assert history["messages"][0]["metadata"]["event_payload"] == {"k": 1}
    client.files_upload_v2(
        channel=posted["channel"], content=b"PNG-bytes", filename="chart.png", title="Weekly"
    )
    (stored,) = fake_slack.files().values()
    assert stored["content"] == b"PNG-bytes" and stored["completed"] and stored["title"] == "Weekly"
    assert [r.method for r in fake_slack.requests()][-3:] == [
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]


def test_scripted_failures(fake_slack: FakeSlack) -> None:
    client = WebClient(token="xoxb-test", base_url=fake_slack.url)
    fake_slack.fail_next("chat.postMessage", "not_in_channel")
    with pytest.raises(SlackApiError) as error:
        client.chat_postMessage(channel="#x", text="t")
    assert error.value.response["error"] == "not_in_channel"
    fake_slack.fail_next("chat.postMessage", "server_error")
    with pytest.raises(SlackApiError) as error:
        client.chat_postMessage(channel="#x", text="t")
    assert error.value.response.status_code == 500 and fake_slack.messages() == []
    with pytest.raises(SlackApiError):
        WebClient(token="bogus", base_url=fake_slack.url).auth_test()
