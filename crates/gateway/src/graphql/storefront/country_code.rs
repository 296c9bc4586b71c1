//! `CountryCodeEnum`: the two-letter country codes of Adobe Commerce's storefront schema, in its order.

use async_graphql::Enum;

/// The list of country codes.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountryCodeEnum {
    /// Afghanistan
    #[graphql(name = "AF")]
    Af,
    /// Åland Islands
    #[graphql(name = "AX")]
    Ax,
    /// Albania
    #[graphql(name = "AL")]
    Al,
    /// Algeria
    #[graphql(name = "DZ")]
    Dz,
    /// American Samoa
    #[graphql(name = "AS")]
    As,
    /// Andorra
    #[graphql(name = "AD")]
    Ad,
    /// Angola
    #[graphql(name = "AO")]
    Ao,
    /// Anguilla
    #[graphql(name = "AI")]
    Ai,
    /// Antarctica
    #[graphql(name = "AQ")]
    Aq,
    /// Antigua & Barbuda
    #[graphql(name = "AG")]
    Ag,
    /// Argentina
    #[graphql(name = "AR")]
    Ar,
    /// Armenia
    #[graphql(name = "AM")]
    Am,
    /// Aruba
    #[graphql(name = "AW")]
    Aw,
    /// Australia
    #[graphql(name = "AU")]
    Au,
    /// Austria
    #[graphql(name = "AT")]
    At,
    /// Azerbaijan
    #[graphql(name = "AZ")]
    Az,
    /// Bahamas
    #[graphql(name = "BS")]
    Bs,
    /// Bahrain
    #[graphql(name = "BH")]
    Bh,
    /// Bangladesh
    #[graphql(name = "BD")]
    Bd,
    /// Barbados
    #[graphql(name = "BB")]
    Bb,
    /// Belarus
    #[graphql(name = "BY")]
    By,
    /// Belgium
    #[graphql(name = "BE")]
    Be,
    /// Belize
    #[graphql(name = "BZ")]
    Bz,
    /// Benin
    #[graphql(name = "BJ")]
    Bj,
    /// Bermuda
    #[graphql(name = "BM")]
    Bm,
    /// Bhutan
    #[graphql(name = "BT")]
    Bt,
    /// Bolivia
    #[graphql(name = "BO")]
    Bo,
    /// Bosnia & Herzegovina
    #[graphql(name = "BA")]
    Ba,
    /// Botswana
    #[graphql(name = "BW")]
    Bw,
    /// Bouvet Island
    #[graphql(name = "BV")]
    Bv,
    /// Brazil
    #[graphql(name = "BR")]
    Br,
    /// British Indian Ocean Territory
    #[graphql(name = "IO")]
    Io,
    /// British Virgin Islands
    #[graphql(name = "VG")]
    Vg,
    /// Brunei
    #[graphql(name = "BN")]
    Bn,
    /// Bulgaria
    #[graphql(name = "BG")]
    Bg,
    /// Burkina Faso
    #[graphql(name = "BF")]
    Bf,
    /// Burundi
    #[graphql(name = "BI")]
    Bi,
    /// Cambodia
    #[graphql(name = "KH")]
    Kh,
    /// Cameroon
    #[graphql(name = "CM")]
    Cm,
    /// Canada
    #[graphql(name = "CA")]
    Ca,
    /// Cape Verde
    #[graphql(name = "CV")]
    Cv,
    /// Cayman Islands
    #[graphql(name = "KY")]
    Ky,
    /// Central African Republic
    #[graphql(name = "CF")]
    Cf,
    /// Chad
    #[graphql(name = "TD")]
    Td,
    /// Chile
    #[graphql(name = "CL")]
    Cl,
    /// China
    #[graphql(name = "CN")]
    Cn,
    /// Christmas Island
    #[graphql(name = "CX")]
    Cx,
    /// Cocos (Keeling) Islands
    #[graphql(name = "CC")]
    Cc,
    /// Colombia
    #[graphql(name = "CO")]
    Co,
    /// Comoros
    #[graphql(name = "KM")]
    Km,
    /// Congo-Brazzaville
    #[graphql(name = "CG")]
    Cg,
    /// Congo-Kinshasa
    #[graphql(name = "CD")]
    Cd,
    /// Cook Islands
    #[graphql(name = "CK")]
    Ck,
    /// Costa Rica
    #[graphql(name = "CR")]
    Cr,
    /// Côte d’Ivoire
    #[graphql(name = "CI")]
    Ci,
    /// Croatia
    #[graphql(name = "HR")]
    Hr,
    /// Cuba
    #[graphql(name = "CU")]
    Cu,
    /// Cyprus
    #[graphql(name = "CY")]
    Cy,
    /// Czech Republic
    #[graphql(name = "CZ")]
    Cz,
    /// Denmark
    #[graphql(name = "DK")]
    Dk,
    /// Djibouti
    #[graphql(name = "DJ")]
    Dj,
    /// Dominica
    #[graphql(name = "DM")]
    Dm,
    /// Dominican Republic
    #[graphql(name = "DO")]
    Do,
    /// Ecuador
    #[graphql(name = "EC")]
    Ec,
    /// Egypt
    #[graphql(name = "EG")]
    Eg,
    /// El Salvador
    #[graphql(name = "SV")]
    Sv,
    /// Equatorial Guinea
    #[graphql(name = "GQ")]
    Gq,
    /// Eritrea
    #[graphql(name = "ER")]
    Er,
    /// Estonia
    #[graphql(name = "EE")]
    Ee,
    /// Eswatini
    #[graphql(name = "SZ")]
    Sz,
    /// Ethiopia
    #[graphql(name = "ET")]
    Et,
    /// Falkland Islands
    #[graphql(name = "FK")]
    Fk,
    /// Faroe Islands
    #[graphql(name = "FO")]
    Fo,
    /// Fiji
    #[graphql(name = "FJ")]
    Fj,
    /// Finland
    #[graphql(name = "FI")]
    Fi,
    /// France
    #[graphql(name = "FR")]
    Fr,
    /// French Guiana
    #[graphql(name = "GF")]
    Gf,
    /// French Polynesia
    #[graphql(name = "PF")]
    Pf,
    /// French Southern Territories
    #[graphql(name = "TF")]
    Tf,
    /// Gabon
    #[graphql(name = "GA")]
    Ga,
    /// Gambia
    #[graphql(name = "GM")]
    Gm,
    /// Georgia
    #[graphql(name = "GE")]
    Ge,
    /// Germany
    #[graphql(name = "DE")]
    De,
    /// Ghana
    #[graphql(name = "GH")]
    Gh,
    /// Gibraltar
    #[graphql(name = "GI")]
    Gi,
    /// Greece
    #[graphql(name = "GR")]
    Gr,
    /// Greenland
    #[graphql(name = "GL")]
    Gl,
    /// Grenada
    #[graphql(name = "GD")]
    Gd,
    /// Guadeloupe
    #[graphql(name = "GP")]
    Gp,
    /// Guam
    #[graphql(name = "GU")]
    Gu,
    /// Guatemala
    #[graphql(name = "GT")]
    Gt,
    /// Guernsey
    #[graphql(name = "GG")]
    Gg,
    /// Guinea
    #[graphql(name = "GN")]
    Gn,
    /// Guinea-Bissau
    #[graphql(name = "GW")]
    Gw,
    /// Guyana
    #[graphql(name = "GY")]
    Gy,
    /// Haiti
    #[graphql(name = "HT")]
    Ht,
    /// Heard &amp; McDonald Islands
    #[graphql(name = "HM")]
    Hm,
    /// Honduras
    #[graphql(name = "HN")]
    Hn,
    /// Hong Kong SAR China
    #[graphql(name = "HK")]
    Hk,
    /// Hungary
    #[graphql(name = "HU")]
    Hu,
    /// Iceland
    #[graphql(name = "IS")]
    Is,
    /// India
    #[graphql(name = "IN")]
    In,
    /// Indonesia
    #[graphql(name = "ID")]
    Id,
    /// Iran
    #[graphql(name = "IR")]
    Ir,
    /// Iraq
    #[graphql(name = "IQ")]
    Iq,
    /// Ireland
    #[graphql(name = "IE")]
    Ie,
    /// Isle of Man
    #[graphql(name = "IM")]
    Im,
    /// Israel
    #[graphql(name = "IL")]
    Il,
    /// Italy
    #[graphql(name = "IT")]
    It,
    /// Jamaica
    #[graphql(name = "JM")]
    Jm,
    /// Japan
    #[graphql(name = "JP")]
    Jp,
    /// Jersey
    #[graphql(name = "JE")]
    Je,
    /// Jordan
    #[graphql(name = "JO")]
    Jo,
    /// Kazakhstan
    #[graphql(name = "KZ")]
    Kz,
    /// Kenya
    #[graphql(name = "KE")]
    Ke,
    /// Kiribati
    #[graphql(name = "KI")]
    Ki,
    /// Kuwait
    #[graphql(name = "KW")]
    Kw,
    /// Kyrgyzstan
    #[graphql(name = "KG")]
    Kg,
    /// Laos
    #[graphql(name = "LA")]
    La,
    /// Latvia
    #[graphql(name = "LV")]
    Lv,
    /// Lebanon
    #[graphql(name = "LB")]
    Lb,
    /// Lesotho
    #[graphql(name = "LS")]
    Ls,
    /// Liberia
    #[graphql(name = "LR")]
    Lr,
    /// Libya
    #[graphql(name = "LY")]
    Ly,
    /// Liechtenstein
    #[graphql(name = "LI")]
    Li,
    /// Lithuania
    #[graphql(name = "LT")]
    Lt,
    /// Luxembourg
    #[graphql(name = "LU")]
    Lu,
    /// Macau SAR China
    #[graphql(name = "MO")]
    Mo,
    /// Macedonia
    #[graphql(name = "MK")]
    Mk,
    /// Madagascar
    #[graphql(name = "MG")]
    Mg,
    /// Malawi
    #[graphql(name = "MW")]
    Mw,
    /// Malaysia
    #[graphql(name = "MY")]
    My,
    /// Maldives
    #[graphql(name = "MV")]
    Mv,
    /// Mali
    #[graphql(name = "ML")]
    Ml,
    /// Malta
    #[graphql(name = "MT")]
    Mt,
    /// Marshall Islands
    #[graphql(name = "MH")]
    Mh,
    /// Martinique
    #[graphql(name = "MQ")]
    Mq,
    /// Mauritania
    #[graphql(name = "MR")]
    Mr,
    /// Mauritius
    #[graphql(name = "MU")]
    Mu,
    /// Mayotte
    #[graphql(name = "YT")]
    Yt,
    /// Mexico
    #[graphql(name = "MX")]
    Mx,
    /// Micronesia
    #[graphql(name = "FM")]
    Fm,
    /// Moldova
    #[graphql(name = "MD")]
    Md,
    /// Monaco
    #[graphql(name = "MC")]
    Mc,
    /// Mongolia
    #[graphql(name = "MN")]
    Mn,
    /// Montenegro
    #[graphql(name = "ME")]
    Me,
    /// Montserrat
    #[graphql(name = "MS")]
    Ms,
    /// Morocco
    #[graphql(name = "MA")]
    Ma,
    /// Mozambique
    #[graphql(name = "MZ")]
    Mz,
    /// Myanmar (Burma)
    #[graphql(name = "MM")]
    Mm,
    /// Namibia
    #[graphql(name = "NA")]
    Na,
    /// Nauru
    #[graphql(name = "NR")]
    Nr,
    /// Nepal
    #[graphql(name = "NP")]
    Np,
    /// Netherlands
    #[graphql(name = "NL")]
    Nl,
    /// Netherlands Antilles
    #[graphql(name = "AN")]
    An,
    /// New Caledonia
    #[graphql(name = "NC")]
    Nc,
    /// New Zealand
    #[graphql(name = "NZ")]
    Nz,
    /// Nicaragua
    #[graphql(name = "NI")]
    Ni,
    /// Niger
    #[graphql(name = "NE")]
    Ne,
    /// Nigeria
    #[graphql(name = "NG")]
    Ng,
    /// Niue
    #[graphql(name = "NU")]
    Nu,
    /// Norfolk Island
    #[graphql(name = "NF")]
    Nf,
    /// Northern Mariana Islands
    #[graphql(name = "MP")]
    Mp,
    /// North Korea
    #[graphql(name = "KP")]
    Kp,
    /// Norway
    #[graphql(name = "NO")]
    No,
    /// Oman
    #[graphql(name = "OM")]
    Om,
    /// Pakistan
    #[graphql(name = "PK")]
    Pk,
    /// Palau
    #[graphql(name = "PW")]
    Pw,
    /// Palestinian Territories
    #[graphql(name = "PS")]
    Ps,
    /// Panama
    #[graphql(name = "PA")]
    Pa,
    /// Papua New Guinea
    #[graphql(name = "PG")]
    Pg,
    /// Paraguay
    #[graphql(name = "PY")]
    Py,
    /// Peru
    #[graphql(name = "PE")]
    Pe,
    /// Philippines
    #[graphql(name = "PH")]
    Ph,
    /// Pitcairn Islands
    #[graphql(name = "PN")]
    Pn,
    /// Poland
    #[graphql(name = "PL")]
    Pl,
    /// Portugal
    #[graphql(name = "PT")]
    Pt,
    /// Qatar
    #[graphql(name = "QA")]
    Qa,
    /// Réunion
    #[graphql(name = "RE")]
    Re,
    /// Romania
    #[graphql(name = "RO")]
    Ro,
    /// Russia
    #[graphql(name = "RU")]
    Ru,
    /// Rwanda
    #[graphql(name = "RW")]
    Rw,
    /// Samoa
    #[graphql(name = "WS")]
    Ws,
    /// San Marino
    #[graphql(name = "SM")]
    Sm,
    /// São Tomé & Príncipe
    #[graphql(name = "ST")]
    St,
    /// Saudi Arabia
    #[graphql(name = "SA")]
    Sa,
    /// Senegal
    #[graphql(name = "SN")]
    Sn,
    /// Serbia
    #[graphql(name = "RS")]
    Rs,
    /// Seychelles
    #[graphql(name = "SC")]
    Sc,
    /// Sierra Leone
    #[graphql(name = "SL")]
    Sl,
    /// Singapore
    #[graphql(name = "SG")]
    Sg,
    /// Slovakia
    #[graphql(name = "SK")]
    Sk,
    /// Slovenia
    #[graphql(name = "SI")]
    Si,
    /// Solomon Islands
    #[graphql(name = "SB")]
    Sb,
    /// Somalia
    #[graphql(name = "SO")]
    So,
    /// South Africa
    #[graphql(name = "ZA")]
    Za,
    /// South Georgia & South Sandwich Islands
    #[graphql(name = "GS")]
    Gs,
    /// South Korea
    #[graphql(name = "KR")]
    Kr,
    /// Spain
    #[graphql(name = "ES")]
    Es,
    /// Sri Lanka
    #[graphql(name = "LK")]
    Lk,
    /// St. Barthélemy
    #[graphql(name = "BL")]
    Bl,
    /// St. Helena
    #[graphql(name = "SH")]
    Sh,
    /// St. Kitts & Nevis
    #[graphql(name = "KN")]
    Kn,
    /// St. Lucia
    #[graphql(name = "LC")]
    Lc,
    /// St. Martin
    #[graphql(name = "MF")]
    Mf,
    /// St. Pierre & Miquelon
    #[graphql(name = "PM")]
    Pm,
    /// St. Vincent & Grenadines
    #[graphql(name = "VC")]
    Vc,
    /// Sudan
    #[graphql(name = "SD")]
    Sd,
    /// Suriname
    #[graphql(name = "SR")]
    Sr,
    /// Svalbard & Jan Mayen
    #[graphql(name = "SJ")]
    Sj,
    /// Sweden
    #[graphql(name = "SE")]
    Se,
    /// Switzerland
    #[graphql(name = "CH")]
    Ch,
    /// Syria
    #[graphql(name = "SY")]
    Sy,
    /// Taiwan
    #[graphql(name = "TW")]
    Tw,
    /// Tajikistan
    #[graphql(name = "TJ")]
    Tj,
    /// Tanzania
    #[graphql(name = "TZ")]
    Tz,
    /// Thailand
    #[graphql(name = "TH")]
    Th,
    /// Timor-Leste
    #[graphql(name = "TL")]
    Tl,
    /// Togo
    #[graphql(name = "TG")]
    Tg,
    /// Tokelau
    #[graphql(name = "TK")]
    Tk,
    /// Tonga
    #[graphql(name = "TO")]
    To,
    /// Trinidad & Tobago
    #[graphql(name = "TT")]
    Tt,
    /// Tunisia
    #[graphql(name = "TN")]
    Tn,
    /// Turkey
    #[graphql(name = "TR")]
    Tr,
    /// Turkmenistan
    #[graphql(name = "TM")]
    Tm,
    /// Turks & Caicos Islands
    #[graphql(name = "TC")]
    Tc,
    /// Tuvalu
    #[graphql(name = "TV")]
    Tv,
    /// Uganda
    #[graphql(name = "UG")]
    Ug,
    /// Ukraine
    #[graphql(name = "UA")]
    Ua,
    /// United Arab Emirates
    #[graphql(name = "AE")]
    Ae,
    /// United Kingdom
    #[graphql(name = "GB")]
    Gb,
    /// United States
    #[graphql(name = "US")]
    Us,
    /// Uruguay
    #[graphql(name = "UY")]
    Uy,
    /// U.S. Outlying Islands
    #[graphql(name = "UM")]
    Um,
    /// U.S. Virgin Islands
    #[graphql(name = "VI")]
    Vi,
    /// Uzbekistan
    #[graphql(name = "UZ")]
    Uz,
    /// Vanuatu
    #[graphql(name = "VU")]
    Vu,
    /// Vatican City
    #[graphql(name = "VA")]
    Va,
    /// Venezuela
    #[graphql(name = "VE")]
    Ve,
    /// Vietnam
    #[graphql(name = "VN")]
    Vn,
    /// Wallis & Futuna
    #[graphql(name = "WF")]
    Wf,
    /// Western Sahara
    #[graphql(name = "EH")]
    Eh,
    /// Yemen
    #[graphql(name = "YE")]
    Ye,
    /// Zambia
    #[graphql(name = "ZM")]
    Zm,
    /// Zimbabwe
    #[graphql(name = "ZW")]
    Zw,
}

impl CountryCodeEnum {
    /// The ISO 3166-1 alpha-2 code.
    pub(crate) fn code(self) -> &'static str {
        match self {
            CountryCodeEnum::Af => "AF",
            CountryCodeEnum::Ax => "AX",
            CountryCodeEnum::Al => "AL",
            CountryCodeEnum::Dz => "DZ",
            CountryCodeEnum::As => "AS",
            CountryCodeEnum::Ad => "AD",
            CountryCodeEnum::Ao => "AO",
            CountryCodeEnum::Ai => "AI",
            CountryCodeEnum::Aq => "AQ",
            CountryCodeEnum::Ag => "AG",
            CountryCodeEnum::Ar => "AR",
            CountryCodeEnum::Am => "AM",
            CountryCodeEnum::Aw => "AW",
            CountryCodeEnum::Au => "AU",
            CountryCodeEnum::At => "AT",
            CountryCodeEnum::Az => "AZ",
            CountryCodeEnum::Bs => "BS",
            CountryCodeEnum::Bh => "BH",
            CountryCodeEnum::Bd => "BD",
            CountryCodeEnum::Bb => "BB",
            CountryCodeEnum::By => "BY",
            CountryCodeEnum::Be => "BE",
            CountryCodeEnum::Bz => "BZ",
            CountryCodeEnum::Bj => "BJ",
            CountryCodeEnum::Bm => "BM",
            CountryCodeEnum::Bt => "BT",
            CountryCodeEnum::Bo => "BO",
            CountryCodeEnum::Ba => "BA",
            CountryCodeEnum::Bw => "BW",
            CountryCodeEnum::Bv => "BV",
            CountryCodeEnum::Br => "BR",
            CountryCodeEnum::Io => "IO",
            CountryCodeEnum::Vg => "VG",
            CountryCodeEnum::Bn => "BN",
            CountryCodeEnum::Bg => "BG",
            CountryCodeEnum::Bf => "BF",
            CountryCodeEnum::Bi => "BI",
            CountryCodeEnum::Kh => "KH",
            CountryCodeEnum::Cm => "CM",
            CountryCodeEnum::Ca => "CA",
            CountryCodeEnum::Cv => "CV",
            CountryCodeEnum::Ky => "KY",
            CountryCodeEnum::Cf => "CF",
            CountryCodeEnum::Td => "TD",
            CountryCodeEnum::Cl => "CL",
            CountryCodeEnum::Cn => "CN",
            CountryCodeEnum::Cx => "CX",
            CountryCodeEnum::Cc => "CC",
            CountryCodeEnum::Co => "CO",
            CountryCodeEnum::Km => "KM",
            CountryCodeEnum::Cg => "CG",
            CountryCodeEnum::Cd => "CD",
            CountryCodeEnum::Ck => "CK",
            CountryCodeEnum::Cr => "CR",
            CountryCodeEnum::Ci => "CI",
            CountryCodeEnum::Hr => "HR",
            CountryCodeEnum::Cu => "CU",
            CountryCodeEnum::Cy => "CY",
            CountryCodeEnum::Cz => "CZ",
            CountryCodeEnum::Dk => "DK",
            CountryCodeEnum::Dj => "DJ",
            CountryCodeEnum::Dm => "DM",
            CountryCodeEnum::Do => "DO",
            CountryCodeEnum::Ec => "EC",
            CountryCodeEnum::Eg => "EG",
            CountryCodeEnum::Sv => "SV",
            CountryCodeEnum::Gq => "GQ",
            CountryCodeEnum::Er => "ER",
            CountryCodeEnum::Ee => "EE",
            CountryCodeEnum::Sz => "SZ",
            CountryCodeEnum::Et => "ET",
            CountryCodeEnum::Fk => "FK",
            CountryCodeEnum::Fo => "FO",
            CountryCodeEnum::Fj => "FJ",
            CountryCodeEnum::Fi => "FI",
            CountryCodeEnum::Fr => "FR",
            CountryCodeEnum::Gf => "GF",
            CountryCodeEnum::Pf => "PF",
            CountryCodeEnum::Tf => "TF",
            CountryCodeEnum::Ga => "GA",
            CountryCodeEnum::Gm => "GM",
            CountryCodeEnum::Ge => "GE",
            CountryCodeEnum::De => "DE",
            CountryCodeEnum::Gh => "GH",
            CountryCodeEnum::Gi => "GI",
            CountryCodeEnum::Gr => "GR",
            CountryCodeEnum::Gl => "GL",
            CountryCodeEnum::Gd => "GD",
            CountryCodeEnum::Gp => "GP",
            CountryCodeEnum::Gu => "GU",
            CountryCodeEnum::Gt => "GT",
            CountryCodeEnum::Gg => "GG",
            CountryCodeEnum::Gn => "GN",
            CountryCodeEnum::Gw => "GW",
            CountryCodeEnum::Gy => "GY",
            CountryCodeEnum::Ht => "HT",
            CountryCodeEnum::Hm => "HM",
            CountryCodeEnum::Hn => "HN",
            CountryCodeEnum::Hk => "HK",
            CountryCodeEnum::Hu => "HU",
            CountryCodeEnum::Is => "IS",
            CountryCodeEnum::In => "IN",
            CountryCodeEnum::Id => "ID",
            CountryCodeEnum::Ir => "IR",
            CountryCodeEnum::Iq => "IQ",
            CountryCodeEnum::Ie => "IE",
            CountryCodeEnum::Im => "IM",
            CountryCodeEnum::Il => "IL",
            CountryCodeEnum::It => "IT",
            CountryCodeEnum::Jm => "JM",
            CountryCodeEnum::Jp => "JP",
            CountryCodeEnum::Je => "JE",
            CountryCodeEnum::Jo => "JO",
            CountryCodeEnum::Kz => "KZ",
            CountryCodeEnum::Ke => "KE",
            CountryCodeEnum::Ki => "KI",
            CountryCodeEnum::Kw => "KW",
            CountryCodeEnum::Kg => "KG",
            CountryCodeEnum::La => "LA",
            CountryCodeEnum::Lv => "LV",
            CountryCodeEnum::Lb => "LB",
            CountryCodeEnum::Ls => "LS",
            CountryCodeEnum::Lr => "LR",
            CountryCodeEnum::Ly => "LY",
            CountryCodeEnum::Li => "LI",
            CountryCodeEnum::Lt => "LT",
            CountryCodeEnum::Lu => "LU",
            CountryCodeEnum::Mo => "MO",
            CountryCodeEnum::Mk => "MK",
            CountryCodeEnum::Mg => "MG",
            CountryCodeEnum::Mw => "MW",
            CountryCodeEnum::My => "MY",
            CountryCodeEnum::Mv => "MV",
            CountryCodeEnum::Ml => "ML",
            CountryCodeEnum::Mt => "MT",
            CountryCodeEnum::Mh => "MH",
            CountryCodeEnum::Mq => "MQ",
            CountryCodeEnum::Mr => "MR",
            CountryCodeEnum::Mu => "MU",
            CountryCodeEnum::Yt => "YT",
            CountryCodeEnum::Mx => "MX",
            CountryCodeEnum::Fm => "FM",
            CountryCodeEnum::Md => "MD",
            CountryCodeEnum::Mc => "MC",
            CountryCodeEnum::Mn => "MN",
            CountryCodeEnum::Me => "ME",
            CountryCodeEnum::Ms => "MS",
            CountryCodeEnum::Ma => "MA",
            CountryCodeEnum::Mz => "MZ",
            CountryCodeEnum::Mm => "MM",
            CountryCodeEnum::Na => "NA",
            CountryCodeEnum::Nr => "NR",
            CountryCodeEnum::Np => "NP",
            CountryCodeEnum::Nl => "NL",
            CountryCodeEnum::An => "AN",
            CountryCodeEnum::Nc => "NC",
            CountryCodeEnum::Nz => "NZ",
            CountryCodeEnum::Ni => "NI",
            CountryCodeEnum::Ne => "NE",
            CountryCodeEnum::Ng => "NG",
            CountryCodeEnum::Nu => "NU",
            CountryCodeEnum::Nf => "NF",
            CountryCodeEnum::Mp => "MP",
            CountryCodeEnum::Kp => "KP",
            CountryCodeEnum::No => "NO",
            CountryCodeEnum::Om => "OM",
            CountryCodeEnum::Pk => "PK",
            CountryCodeEnum::Pw => "PW",
            CountryCodeEnum::Ps => "PS",
            CountryCodeEnum::Pa => "PA",
            CountryCodeEnum::Pg => "PG",
            CountryCodeEnum::Py => "PY",
            CountryCodeEnum::Pe => "PE",
            CountryCodeEnum::Ph => "PH",
            CountryCodeEnum::Pn => "PN",
            CountryCodeEnum::Pl => "PL",
            CountryCodeEnum::Pt => "PT",
            CountryCodeEnum::Qa => "QA",
            CountryCodeEnum::Re => "RE",
            CountryCodeEnum::Ro => "RO",
            CountryCodeEnum::Ru => "RU",
            CountryCodeEnum::Rw => "RW",
            CountryCodeEnum::Ws => "WS",
            CountryCodeEnum::Sm => "SM",
            CountryCodeEnum::St => "ST",
            CountryCodeEnum::Sa => "SA",
            CountryCodeEnum::Sn => "SN",
            CountryCodeEnum::Rs => "RS",
            CountryCodeEnum::Sc => "SC",
            CountryCodeEnum::Sl => "SL",
            CountryCodeEnum::Sg => "SG",
            CountryCodeEnum::Sk => "SK",
            CountryCodeEnum::Si => "SI",
            CountryCodeEnum::Sb => "SB",
            CountryCodeEnum::So => "SO",
            CountryCodeEnum::Za => "ZA",
            CountryCodeEnum::Gs => "GS",
            CountryCodeEnum::Kr => "KR",
            CountryCodeEnum::Es => "ES",
            CountryCodeEnum::Lk => "LK",
            CountryCodeEnum::Bl => "BL",
            CountryCodeEnum::Sh => "SH",
            CountryCodeEnum::Kn => "KN",
            CountryCodeEnum::Lc => "LC",
            CountryCodeEnum::Mf => "MF",
            CountryCodeEnum::Pm => "PM",
            CountryCodeEnum::Vc => "VC",
            CountryCodeEnum::Sd => "SD",
            CountryCodeEnum::Sr => "SR",
            CountryCodeEnum::Sj => "SJ",
            CountryCodeEnum::Se => "SE",
            CountryCodeEnum::Ch => "CH",
            CountryCodeEnum::Sy => "SY",
            CountryCodeEnum::Tw => "TW",
            CountryCodeEnum::Tj => "TJ",
            CountryCodeEnum::Tz => "TZ",
            CountryCodeEnum::Th => "TH",
            CountryCodeEnum::Tl => "TL",
            CountryCodeEnum::Tg => "TG",
            CountryCodeEnum::Tk => "TK",
            CountryCodeEnum::To => "TO",
            CountryCodeEnum::Tt => "TT",
            CountryCodeEnum::Tn => "TN",
            CountryCodeEnum::Tr => "TR",
            CountryCodeEnum::Tm => "TM",
            CountryCodeEnum::Tc => "TC",
            CountryCodeEnum::Tv => "TV",
            CountryCodeEnum::Ug => "UG",
            CountryCodeEnum::Ua => "UA",
            CountryCodeEnum::Ae => "AE",
            CountryCodeEnum::Gb => "GB",
            CountryCodeEnum::Us => "US",
            CountryCodeEnum::Uy => "UY",
            CountryCodeEnum::Um => "UM",
            CountryCodeEnum::Vi => "VI",
            CountryCodeEnum::Uz => "UZ",
            CountryCodeEnum::Vu => "VU",
            CountryCodeEnum::Va => "VA",
            CountryCodeEnum::Ve => "VE",
            CountryCodeEnum::Vn => "VN",
            CountryCodeEnum::Wf => "WF",
            CountryCodeEnum::Eh => "EH",
            CountryCodeEnum::Ye => "YE",
            CountryCodeEnum::Zm => "ZM",
            CountryCodeEnum::Zw => "ZW",
        }
    }

    /// The enum value of an ISO 3166-1 alpha-2 code.
    pub(crate) fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "AF" => CountryCodeEnum::Af,
            "AX" => CountryCodeEnum::Ax,
            "AL" => CountryCodeEnum::Al,
            "DZ" => CountryCodeEnum::Dz,
            "AS" => CountryCodeEnum::As,
            "AD" => CountryCodeEnum::Ad,
            "AO" => CountryCodeEnum::Ao,
            "AI" => CountryCodeEnum::Ai,
            "AQ" => CountryCodeEnum::Aq,
            "AG" => CountryCodeEnum::Ag,
            "AR" => CountryCodeEnum::Ar,
            "AM" => CountryCodeEnum::Am,
            "AW" => CountryCodeEnum::Aw,
            "AU" => CountryCodeEnum::Au,
            "AT" => CountryCodeEnum::At,
            "AZ" => CountryCodeEnum::Az,
            "BS" => CountryCodeEnum::Bs,
            "BH" => CountryCodeEnum::Bh,
            "BD" => CountryCodeEnum::Bd,
            "BB" => CountryCodeEnum::Bb,
            "BY" => CountryCodeEnum::By,
            "BE" => CountryCodeEnum::Be,
            "BZ" => CountryCodeEnum::Bz,
            "BJ" => CountryCodeEnum::Bj,
            "BM" => CountryCodeEnum::Bm,
            "BT" => CountryCodeEnum::Bt,
            "BO" => CountryCodeEnum::Bo,
            "BA" => CountryCodeEnum::Ba,
            "BW" => CountryCodeEnum::Bw,
            "BV" => CountryCodeEnum::Bv,
            "BR" => CountryCodeEnum::Br,
            "IO" => CountryCodeEnum::Io,
            "VG" => CountryCodeEnum::Vg,
            "BN" => CountryCodeEnum::Bn,
            "BG" => CountryCodeEnum::Bg,
            "BF" => CountryCodeEnum::Bf,
            "BI" => CountryCodeEnum::Bi,
            "KH" => CountryCodeEnum::Kh,
            "CM" => CountryCodeEnum::Cm,
            "CA" => CountryCodeEnum::Ca,
            "CV" => CountryCodeEnum::Cv,
            "KY" => CountryCodeEnum::Ky,
            "CF" => CountryCodeEnum::Cf,
            "TD" => CountryCodeEnum::Td,
            "CL" => CountryCodeEnum::Cl,
            "CN" => CountryCodeEnum::Cn,
            "CX" => CountryCodeEnum::Cx,
            "CC" => CountryCodeEnum::Cc,
            "CO" => CountryCodeEnum::Co,
            "KM" => CountryCodeEnum::Km,
            "CG" => CountryCodeEnum::Cg,
            "CD" => CountryCodeEnum::Cd,
            "CK" => CountryCodeEnum::Ck,
            "CR" => CountryCodeEnum::Cr,
            "CI" => CountryCodeEnum::Ci,
            "HR" => CountryCodeEnum::Hr,
            "CU" => CountryCodeEnum::Cu,
            "CY" => CountryCodeEnum::Cy,
            "CZ" => CountryCodeEnum::Cz,
            "DK" => CountryCodeEnum::Dk,
            "DJ" => CountryCodeEnum::Dj,
            "DM" => CountryCodeEnum::Dm,
            "DO" => CountryCodeEnum::Do,
            "EC" => CountryCodeEnum::Ec,
            "EG" => CountryCodeEnum::Eg,
            "SV" => CountryCodeEnum::Sv,
            "GQ" => CountryCodeEnum::Gq,
            "ER" => CountryCodeEnum::Er,
            "EE" => CountryCodeEnum::Ee,
            "SZ" => CountryCodeEnum::Sz,
            "ET" => CountryCodeEnum::Et,
            "FK" => CountryCodeEnum::Fk,
            "FO" => CountryCodeEnum::Fo,
            "FJ" => CountryCodeEnum::Fj,
            "FI" => CountryCodeEnum::Fi,
            "FR" => CountryCodeEnum::Fr,
            "GF" => CountryCodeEnum::Gf,
            "PF" => CountryCodeEnum::Pf,
            "TF" => CountryCodeEnum::Tf,
            "GA" => CountryCodeEnum::Ga,
            "GM" => CountryCodeEnum::Gm,
            "GE" => CountryCodeEnum::Ge,
            "DE" => CountryCodeEnum::De,
            "GH" => CountryCodeEnum::Gh,
            "GI" => CountryCodeEnum::Gi,
            "GR" => CountryCodeEnum::Gr,
            "GL" => CountryCodeEnum::Gl,
            "GD" => CountryCodeEnum::Gd,
            "GP" => CountryCodeEnum::Gp,
            "GU" => CountryCodeEnum::Gu,
            "GT" => CountryCodeEnum::Gt,
            "GG" => CountryCodeEnum::Gg,
            "GN" => CountryCodeEnum::Gn,
            "GW" => CountryCodeEnum::Gw,
            "GY" => CountryCodeEnum::Gy,
            "HT" => CountryCodeEnum::Ht,
            "HM" => CountryCodeEnum::Hm,
            "HN" => CountryCodeEnum::Hn,
            "HK" => CountryCodeEnum::Hk,
            "HU" => CountryCodeEnum::Hu,
            "IS" => CountryCodeEnum::Is,
            "IN" => CountryCodeEnum::In,
            "ID" => CountryCodeEnum::Id,
            "IR" => CountryCodeEnum::Ir,
            "IQ" => CountryCodeEnum::Iq,
            "IE" => CountryCodeEnum::Ie,
            "IM" => CountryCodeEnum::Im,
            "IL" => CountryCodeEnum::Il,
            "IT" => CountryCodeEnum::It,
            "JM" => CountryCodeEnum::Jm,
            "JP" => CountryCodeEnum::Jp,
            "JE" => CountryCodeEnum::Je,
            "JO" => CountryCodeEnum::Jo,
            "KZ" => CountryCodeEnum::Kz,
            "KE" => CountryCodeEnum::Ke,
            "KI" => CountryCodeEnum::Ki,
            "KW" => CountryCodeEnum::Kw,
            "KG" => CountryCodeEnum::Kg,
            "LA" => CountryCodeEnum::La,
            "LV" => CountryCodeEnum::Lv,
            "LB" => CountryCodeEnum::Lb,
            "LS" => CountryCodeEnum::Ls,
            "LR" => CountryCodeEnum::Lr,
            "LY" => CountryCodeEnum::Ly,
            "LI" => CountryCodeEnum::Li,
            "LT" => CountryCodeEnum::Lt,
            "LU" => CountryCodeEnum::Lu,
            "MO" => CountryCodeEnum::Mo,
            "MK" => CountryCodeEnum::Mk,
            "MG" => CountryCodeEnum::Mg,
            "MW" => CountryCodeEnum::Mw,
            "MY" => CountryCodeEnum::My,
            "MV" => CountryCodeEnum::Mv,
            "ML" => CountryCodeEnum::Ml,
            "MT" => CountryCodeEnum::Mt,
            "MH" => CountryCodeEnum::Mh,
            "MQ" => CountryCodeEnum::Mq,
            "MR" => CountryCodeEnum::Mr,
            "MU" => CountryCodeEnum::Mu,
            "YT" => CountryCodeEnum::Yt,
            "MX" => CountryCodeEnum::Mx,
            "FM" => CountryCodeEnum::Fm,
            "MD" => CountryCodeEnum::Md,
            "MC" => CountryCodeEnum::Mc,
            "MN" => CountryCodeEnum::Mn,
            "ME" => CountryCodeEnum::Me,
            "MS" => CountryCodeEnum::Ms,
            "MA" => CountryCodeEnum::Ma,
            "MZ" => CountryCodeEnum::Mz,
            "MM" => CountryCodeEnum::Mm,
            "NA" => CountryCodeEnum::Na,
            "NR" => CountryCodeEnum::Nr,
            "NP" => CountryCodeEnum::Np,
            "NL" => CountryCodeEnum::Nl,
            "AN" => CountryCodeEnum::An,
            "NC" => CountryCodeEnum::Nc,
            "NZ" => CountryCodeEnum::Nz,
            "NI" => CountryCodeEnum::Ni,
            "NE" => CountryCodeEnum::Ne,
            "NG" => CountryCodeEnum::Ng,
            "NU" => CountryCodeEnum::Nu,
            "NF" => CountryCodeEnum::Nf,
            "MP" => CountryCodeEnum::Mp,
            "KP" => CountryCodeEnum::Kp,
            "NO" => CountryCodeEnum::No,
            "OM" => CountryCodeEnum::Om,
            "PK" => CountryCodeEnum::Pk,
            "PW" => CountryCodeEnum::Pw,
            "PS" => CountryCodeEnum::Ps,
            "PA" => CountryCodeEnum::Pa,
            "PG" => CountryCodeEnum::Pg,
            "PY" => CountryCodeEnum::Py,
            "PE" => CountryCodeEnum::Pe,
            "PH" => CountryCodeEnum::Ph,
            "PN" => CountryCodeEnum::Pn,
            "PL" => CountryCodeEnum::Pl,
            "PT" => CountryCodeEnum::Pt,
            "QA" => CountryCodeEnum::Qa,
            "RE" => CountryCodeEnum::Re,
            "RO" => CountryCodeEnum::Ro,
            "RU" => CountryCodeEnum::Ru,
            "RW" => CountryCodeEnum::Rw,
            "WS" => CountryCodeEnum::Ws,
            "SM" => CountryCodeEnum::Sm,
            "ST" => CountryCodeEnum::St,
            "SA" => CountryCodeEnum::Sa,
            "SN" => CountryCodeEnum::Sn,
            "RS" => CountryCodeEnum::Rs,
            "SC" => CountryCodeEnum::Sc,
            "SL" => CountryCodeEnum::Sl,
            "SG" => CountryCodeEnum::Sg,
            "SK" => CountryCodeEnum::Sk,
            "SI" => CountryCodeEnum::Si,
            "SB" => CountryCodeEnum::Sb,
            "SO" => CountryCodeEnum::So,
            "ZA" => CountryCodeEnum::Za,
            "GS" => CountryCodeEnum::Gs,
            "KR" => CountryCodeEnum::Kr,
            "ES" => CountryCodeEnum::Es,
            "LK" => CountryCodeEnum::Lk,
            "BL" => CountryCodeEnum::Bl,
            "SH" => CountryCodeEnum::Sh,
            "KN" => CountryCodeEnum::Kn,
            "LC" => CountryCodeEnum::Lc,
            "MF" => CountryCodeEnum::Mf,
            "PM" => CountryCodeEnum::Pm,
            "VC" => CountryCodeEnum::Vc,
            "SD" => CountryCodeEnum::Sd,
            "SR" => CountryCodeEnum::Sr,
            "SJ" => CountryCodeEnum::Sj,
            "SE" => CountryCodeEnum::Se,
            "CH" => CountryCodeEnum::Ch,
            "SY" => CountryCodeEnum::Sy,
            "TW" => CountryCodeEnum::Tw,
            "TJ" => CountryCodeEnum::Tj,
            "TZ" => CountryCodeEnum::Tz,
            "TH" => CountryCodeEnum::Th,
            "TL" => CountryCodeEnum::Tl,
            "TG" => CountryCodeEnum::Tg,
            "TK" => CountryCodeEnum::Tk,
            "TO" => CountryCodeEnum::To,
            "TT" => CountryCodeEnum::Tt,
            "TN" => CountryCodeEnum::Tn,
            "TR" => CountryCodeEnum::Tr,
            "TM" => CountryCodeEnum::Tm,
            "TC" => CountryCodeEnum::Tc,
            "TV" => CountryCodeEnum::Tv,
            "UG" => CountryCodeEnum::Ug,
            "UA" => CountryCodeEnum::Ua,
            "AE" => CountryCodeEnum::Ae,
            "GB" => CountryCodeEnum::Gb,
            "US" => CountryCodeEnum::Us,
            "UY" => CountryCodeEnum::Uy,
            "UM" => CountryCodeEnum::Um,
            "VI" => CountryCodeEnum::Vi,
            "UZ" => CountryCodeEnum::Uz,
            "VU" => CountryCodeEnum::Vu,
            "VA" => CountryCodeEnum::Va,
            "VE" => CountryCodeEnum::Ve,
            "VN" => CountryCodeEnum::Vn,
            "WF" => CountryCodeEnum::Wf,
            "EH" => CountryCodeEnum::Eh,
            "YE" => CountryCodeEnum::Ye,
            "ZM" => CountryCodeEnum::Zm,
            "ZW" => CountryCodeEnum::Zw,
            _ => return None,
        })
    }
}
