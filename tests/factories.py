import factory

from portal.models import Role, User
from units.credit_code import make_credit_code
from units.models import Area, Department, Industry, Unit


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"新郑市测试{n}号机械制造有限公司")
    credit_code = factory.Sequence(lambda n: make_credit_code(900000 + n))
    legal_representative = "张伟"
    address = factory.Sequence(lambda n: f"新郑市新建路{n}号")
    area = factory.LazyFunction(lambda: Area.objects.get(name="新建路街道"))
    industry = factory.LazyFunction(lambda: Industry.objects.get(name="建筑施工"))
    supervising_department = factory.LazyFunction(lambda: Department.objects.get(short_name="住建"))
    contact_name = "李娜"
    contact_phone = "13800000001"
    status = Unit.Status.APPROVED


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    display_name = factory.LazyAttribute(lambda user: user.username)
    role = Role.BUREAU
    password = factory.PostGenerationMethodCall("set_password", "Test-pass-123")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()
