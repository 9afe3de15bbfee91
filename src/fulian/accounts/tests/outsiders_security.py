"""Records of the security id routes for api/tests/test_outsiders.py: a session row of 正定县's chair (the pages'
`cadre_session_id` and the API's); the account routes use the existing `account_id`."""


def records(*, county, village, chair, cadre) -> dict:
    from fulian.accounts.sessions import session_start

    row = session_start(user=chair, session_key="outsider-probe-session-key", user_agent="", ip=None)
    return {"cadre_session_id": row.pk}
