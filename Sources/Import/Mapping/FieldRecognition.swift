import Foundation

/// The source field names that stand for site fields when there is no mapping file, in the
/// languages GraveAtlas's users write (English, Spanish, French, Persian, Arabic …).
///
/// ```swift
/// FieldRecognition.field(for: .name, in: ["FOSA_ID", "Nombre", "Estado"])   // "Nombre"
/// ```
/// Matching ignores case and surrounding spaces; the first source field that matches wins.
enum FieldRecognition {
    static let names: [SiteField: [String]] = [
        .name: ["name", "nombre", "nom", "نام", "اسم", "naam", "titel", "title", "denominacion", "denominación",
                "site_name", "sitename", "denominaci"],
        .description: ["description", "descripcion", "descripción", "descripció", "desc", "notes", "توضیحات", "وصف"],
        .siteType: ["site_type", "type", "tipo", "نوع", "typologie"],
        .status: ["status", "estado", "statut", "وضعیت"],
        .condition: ["condition", "conservacion", "conservación", "état", "etat", "حالت"],
        .locationPrecision: ["location_precision", "precision", "precisión"],
        .uncertaintyM: ["uncertainty_m", "uncertainty", "incertidumbre"],
        .victimsMin: ["victims_min", "min_victims", "victimas_min"],
        .victimsMax: ["victims_max", "max_victims", "victimas_max"],
        .victimsIdentified: ["victims_identified", "identified", "identificados", "identificadas"],
        .period: ["period", "periodo", "période", "event", "دوره"],
        .date: ["date", "fecha", "تاریخ"],
        .sensitivity: ["sensitivity", "sensibilidad"],
    ]

    static func field(for site: SiteField, in sourceFields: [String]) -> String? {
        guard let candidates = names[site] else { return nil }
        let keyed = sourceFields.map { field in
            let padded = field.first?.isWhitespace == true || field.last?.isWhitespace == true
            return (field, (padded ? field.trimmingCharacters(in: .whitespaces) : field).lowercased())
        }
        for candidate in candidates {
            if let match = keyed.first(where: { $0.1 == candidate }) { return match.0 }
        }
        return nil
    }
}
