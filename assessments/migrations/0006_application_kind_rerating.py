"""Re-rating requests (docs/decisions/0104): an application has a kind; a unit has one annual
application and at most one re-rating application per cycle."""

import django_fsm
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0005_evaluation_records_kept'),
        ('units', '0003_unit_name_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='application',
            name='one_application_per_cycle',
        ),
        migrations.AddField(
            model_name='application',
            name='kind',
            field=models.CharField(choices=[('annual', '年度评估申请'), ('rerating', '整改后重新评级申请')], default='annual', editable=False, max_length=10, verbose_name='申请类别'),
        ),
        migrations.AlterField(
            model_name='application',
            name='status',
            field=django_fsm.FSMField(choices=[('draft', '填报中'), ('submitted', '已提交，待受理'), ('returned', '退回补正'), ('accepted', '已受理'), ('under_evaluation', '专家评估中'), ('evaluated', '评估完成，待等级考评'), ('graded', '已拟定等级'), ('in_publicity', '意见征询中'), ('submitted_to_government', '报市政府确认中'), ('government_returned', '市政府退回'), ('confirmed', '市政府已确认'), ('published', '已公布'), ('revoked', '已撤销'), ('refused', '不予受理')], default='draft', max_length=30, protected=True, verbose_name='状态'),
        ),
        migrations.AlterField(
            model_name='applicationtransition',
            name='source',
            field=models.CharField(choices=[('draft', '填报中'), ('submitted', '已提交，待受理'), ('returned', '退回补正'), ('accepted', '已受理'), ('under_evaluation', '专家评估中'), ('evaluated', '评估完成，待等级考评'), ('graded', '已拟定等级'), ('in_publicity', '意见征询中'), ('submitted_to_government', '报市政府确认中'), ('government_returned', '市政府退回'), ('confirmed', '市政府已确认'), ('published', '已公布'), ('revoked', '已撤销'), ('refused', '不予受理')], max_length=30, verbose_name='原状态'),
        ),
        migrations.AlterField(
            model_name='applicationtransition',
            name='target',
            field=models.CharField(choices=[('draft', '填报中'), ('submitted', '已提交，待受理'), ('returned', '退回补正'), ('accepted', '已受理'), ('under_evaluation', '专家评估中'), ('evaluated', '评估完成，待等级考评'), ('graded', '已拟定等级'), ('in_publicity', '意见征询中'), ('submitted_to_government', '报市政府确认中'), ('government_returned', '市政府退回'), ('confirmed', '市政府已确认'), ('published', '已公布'), ('revoked', '已撤销'), ('refused', '不予受理')], max_length=30, verbose_name='新状态'),
        ),
        migrations.AddConstraint(
            model_name='application',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'annual')), fields=('cycle', 'unit'), name='one_application_per_cycle'),
        ),
        migrations.AddConstraint(
            model_name='application',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'rerating')), fields=('cycle', 'unit'), name='one_rerating_per_cycle'),
        ),
    ]
