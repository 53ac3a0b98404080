"""``{% punct "：" %}``: joining punctuation in the reader's language (see portal.punctuation)."""

from django import template

from portal.punctuation import punct

register = template.Library()
register.simple_tag(punct, name="punct")
