"""Members of an organisation and the record form's answers, for the household
screens' tests."""

from django.contrib.auth import get_user_model

from sellers.households.services import membership_grant

User = get_user_model()


def member(email, organisation, role):
    user = User.objects.create_user(username=email, email=email, password="pw")
    membership_grant(user=user, organisation=organisation, role=role)
    return user


def record_post(**overrides):
    data = {
        "legal_name": "罗某银",
        "id_number": "50011219650101123X",
        "phone": "13800138000",
        "address": "统景镇西新村3组",
        "members": "4",
        "assistance_category": "dibao",
        "disability": "",
        "illness": "高血压",
        "bank_name": "农商行",
        "bank_account": "6228480000000000",
        "notes": "",
    }
    data.update(overrides)
    return data
