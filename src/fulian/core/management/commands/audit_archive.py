from django.core.management.base import BaseCommand

from fulian.core.sealing import audit_archive, seal_all


class Command(BaseCommand):
    help = ("Move sealed audit and read-log rows older than AUDIT_RETENTION_DAYS (never under 180) to a compressed "
            "file with its SHA-256 recorded (AUDIT_ARCHIVE_DIR); recent or unsealed rows are never touched. Run daily.")

    def handle(self, *args, **options):
        seal_all()
        archive = audit_archive()
        if archive is None:
            self.stdout.write("audit archive: nothing older than the retention")
            return
        self.stdout.write(f"audit archive: {archive.audit_count} audit and {archive.read_count} read row(s) of links "
                          f"{archive.seal_from}–{archive.seal_to} → {archive.file_name} (sha256 {archive.sha256})")
