from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from units.importing import ImportFileError, import_units


class Command(BaseCommand):
    help = "导入生产经营单位（CSV 或 Excel）。有错误行时不导入任何行，除非指定 --only-valid。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--only-valid", action="store_true", help="只导入无误的行，跳过有错误的行"
        )

    def handle(self, *args, file: Path, only_valid: bool, **options):
        if not file.is_file():
            raise CommandError(f"文件不存在：{file}")
        try:
            result = import_units(file.read_bytes(), file.name, only_valid=only_valid)
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        for error in result.errors:
            self.stderr.write(str(error))
        if result.errors and not only_valid:
            raise CommandError(
                f"共{result.total_rows}行，{result.bad_rows}行有错误，未导入任何单位。"
                "修正后重新导入，或使用 --only-valid 只导入无误的行。"
            )
        self.stdout.write(f"已导入{result.imported}个单位，跳过{result.bad_rows}行。")
        if result.imported == 0 and result.errors:
            raise CommandError("没有可导入的行。")
