def test_member_sees_school_home(client_for, people, school_a):
    response = client_for(people["senco_a"], school_a).get("/")
    assert response.status_code == 200
    assert b"Alpha Primary" in response.content
