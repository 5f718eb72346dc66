/// Who an output is produced for; decides how each site's sensitivity is treated.
///
/// ```swift
/// Audience.public.treatment(of: .restricted)   // .generalised
/// Audience.partner.treatment(of: .restricted)  // .exact
/// ```
/// The rules are DESIGN's "Audiences and safeguarding"; every format and every zoom applies
/// them through `SafeguardingPolicy`, never on its own.
public enum Audience: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// Anyone: public sites exact, restricted ones generalised, confidential ones absent.
    case `public`
    /// A partner organisation: restricted sites exact, confidential ones generalised.
    case partner
    /// The team itself: everything exact.
    case `internal`

    public var description: String { rawValue }

    /// How a site of the given sensitivity appears to this audience.
    public func treatment(of sensitivity: Sensitivity) -> Treatment {
        switch (self, sensitivity) {
        case (.internal, _), (.partner, .public), (.partner, .restricted), (.public, .public): .exact
        case (.public, .restricted), (.partner, .confidential): .generalised
        case (.public, .confidential): .withheld
        }
    }
}

/// What an audience sees of one site.
public enum Treatment: Hashable, Sendable {
    /// The site as it is.
    case exact
    /// The site moved to the centre of its grid cell, with only allow-listed fields.
    case generalised
    /// Not at all.
    case withheld
}
