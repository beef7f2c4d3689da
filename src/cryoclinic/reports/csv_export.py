"""A report as a CSV download: UTF-8 with a BOM so Excel reads Cyrillic; in Russian, `;` between fields and
the decimal comma (what Excel in a Russian locale expects), in English `,` and the decimal point."""

from __future__ import annotations

import csv

from django.http import HttpResponse

from cryoclinic.languages import content_language

from .metrics import Period
from .tables import Table, cell_text


def csv_response(table: Table, period: Period) -> HttpResponse:
    language = content_language()
    filename = f"cryoclinic-{table.slug}-{period.start:%Y%m%d}-{period.end:%Y%m%d}-{language}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";" if language == "ru" else ",")
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow([cell_text(value) for value in row])
    return response
