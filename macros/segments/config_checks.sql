{#- Compile-time checks of configuration values. Configuration is data: a
    value is validated and typed here, and only then written into SQL, so
    no var, scheme key or threshold can run SQL of its own. Every failure
    names the scheme, segment, field or var it is about
    (segment_config_error). -#}

{#- Levenshtein distance, for did-you-mean hints on short names. -#}
{% macro edit_distance(left, right) -%}
    {%- set state = namespace(previous=range((right | length) + 1) | list) -%}
    {%- for i in range(1, (left | length) + 1) -%}
        {%- set current = [i] -%}
        {%- for j in range(1, (right | length) + 1) -%}
            {%- set cost = 0 if left[i - 1] == right[j - 1] else 1 -%}
            {%- do current.append([state.previous[j] + 1, current[j - 1] + 1, state.previous[j - 1] + cost] | min) -%}
        {%- endfor -%}
        {%- set state.previous = current -%}
    {%- endfor -%}
    {{ return(state.previous[-1]) }}
{%- endmacro %}


{#- " (did you mean 'x'?)" for the closest candidate within a third of the
    word's length (at least 2 edits), else ''. -#}
{% macro did_you_mean(word, candidates) -%}
    {%- set best = namespace(name=none, distance=999) -%}
    {%- for candidate in candidates -%}
        {%- set distance = audience_segments.edit_distance(word | string | lower, candidate) -%}
        {%- if distance < best.distance -%}
            {%- set best.name = candidate -%}
            {%- set best.distance = distance -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if best.name is not none and best.distance <= [2, (word | string | length) // 3] | max -%}
        {{ return(" (did you mean '" ~ best.name ~ "'?)") }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}


{#- Fails on any key of `mapping` outside `allowed`, naming it with a hint:
    a typo (`fallbak: true`) must not pass as an absent key. -#}
{% macro check_known_keys(mapping, allowed, what, scheme=none, segment=none) -%}
    {%- for key in mapping.keys() if key not in allowed -%}
        {{ audience_segments.segment_config_error(scheme, segment, none,
            "unknown key '" ~ key ~ "' in " ~ what ~ audience_segments.did_you_mean(key, allowed)
            ~ '; known: ' ~ allowed | join(', ')) }}
    {%- endfor -%}
{%- endmacro %}


{#- A number in [low, high] (either bound may be none), an integer when
    `whole`; returned as a number, so only its digits reach SQL. -#}
{% macro checked_number(value, name, low=none, high=none, whole=false, scheme=none) -%}
    {%- set ok = value is number and value is not boolean
        and (not whole or value == (value | int))
        and (low is none or value >= low) and (high is none or value <= high) -%}
    {%- if not ok -%}
        {%- set bounds = [] -%}
        {%- if low is not none %}{% do bounds.append('>= ' ~ low) %}{% endif -%}
        {%- if high is not none %}{% do bounds.append('<= ' ~ high) %}{% endif -%}
        {{ audience_segments.segment_config_error(scheme, none, none,
            name ~ ' must be ' ~ ('a whole number' if whole else 'a number')
            ~ (' ' ~ bounds | join(' and ') if bounds else '') ~ ', got ' ~ value | string
            ~ (' (text)' if value is string else '')) }}
    {%- endif -%}
    {{ return((value | int) if whole else value) }}
{%- endmacro %}


{#- A calendar date given as YYYY-MM-DD, checked for a real day; returns
    the canonical text. -#}
{% macro checked_iso_date(value, name) -%}
    {%- set match = modules.re.match('^(\\d{4})-(\\d{2})-(\\d{2})$', value | string) if value is string else none -%}
    {%- set valid = false -%}
    {%- if match -%}
        {%- set year, month, day = match.group(1) | int, match.group(2) | int, match.group(3) | int -%}
        {%- set leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 -%}
        {%- set month_days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] -%}
        {%- set valid = 1 <= month <= 12 and 1 <= day <= month_days[month - 1] -%}
    {%- endif -%}
    {%- if not valid -%}
        {{ audience_segments.segment_config_error(none, none, none,
            name ~ " must be a date written YYYY-MM-DD (a quoted string in YAML), got '" ~ value ~ "'") }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}


{#- audience_segments_as_of_date, validated: none or a YYYY-MM-DD date. -#}
{% macro configured_as_of_date() -%}
    {%- set value = var('audience_segments_as_of_date', none) -%}
    {%- if value is none or value == '' -%}
        {{ return(none) }}
    {%- endif -%}
    {#- YAML reads an unquoted 2026-06-30 as a date: accept it as one. -#}
    {%- if value is not string and value.isoformat is defined -%}
        {%- set value = value.isoformat() -%}
    {%- endif -%}
    {{ return(audience_segments.checked_iso_date(value, 'audience_segments_as_of_date')) }}
{%- endmacro %}


{#- Scheme and segment names become parts of column names
    (is_match__<scheme>__<segment>), so a name may not contain '__' (scheme
    ab + segment cd__ef would share a column with scheme ab__cd + segment
    ef), may not end in '_', and a scheme (a column of customer_segments)
    may not take the name of another column there. -#}
{% macro check_config_name(name, what, reserved, scheme=none, segment=none) -%}
    {%- set pattern = '^[a-z][a-z0-9_]{0,39}$' -%}
    {%- set problem = none -%}
    {%- if name is not string or not modules.re.match(pattern, name) -%}
        {%- set problem = what ~ ' name must match ' ~ pattern ~ ' (it becomes part of a column name), got ' ~ name -%}
    {%- elif '__' in name or name.endswith('_') -%}
        {%- set problem = what ~ " name may not contain '__' or end in '_' (it is joined to other names with '__'), got " ~ name -%}
    {%- elif name in reserved -%}
        {%- set problem = what ~ " name '" ~ name ~ "' is a column of the marts; pick another" -%}
    {%- endif -%}
    {%- if problem -%}
        {{ audience_segments.segment_config_error(scheme, segment, none, problem) }}
    {%- endif -%}
{%- endmacro %}


{#- Names a scheme may not take: each scheme is a column of
    customer_segments, beside these. -#}
{% macro reserved_config_names() -%}
    {{ return(['customer_id', 'as_of_date']) }}
{%- endmacro %}


{#- The sql escape hatch ({sql: <predicate>, fields: [...]}) is trusted to
    be one boolean expression over the declared customer_360 fields, and
    nothing else. Refused at compile time: statement separators and
    comments (they end the expression), unbalanced quotes or parentheses,
    statements and subqueries (select, drop, attach, ...), functions that
    read files, settings or variables, and any identifier that is a rule
    field but not declared in `fields`. -#}
{% macro checked_sql_predicate(condition, where) -%}
    {%- set text = condition.get('sql') -%}
    {%- set fields = condition.get('fields') -%}
    {%- if text is not string or not (text | trim) -%}
        {{ audience_segments.segment_config_error(where.scheme, where.segment, none, "'sql' needs a predicate as text") }}
    {%- endif -%}
    {%- if fields is string or fields is not sequence or fields | length == 0 -%}
        {{ audience_segments.segment_config_error(where.scheme, where.segment, none,
            "'sql' needs `fields`: the list of every column the predicate reads") }}
    {%- endif -%}
    {%- set declared = [] -%}
    {%- for field in fields -%}
        {%- do audience_segments.segment_field_type(field, where) -%}
        {%- do declared.append(field | lower) -%}
    {%- endfor -%}
    {%- set fail = namespace(message=none) -%}
    {%- if text.count("'") % 2 != 0 or text.count('"') % 2 != 0 -%}
        {%- set fail.message = 'unbalanced quotes' -%}
    {%- endif -%}
    {#- String literals cannot hide anything once quotes balance: drop them
        before looking at the code around them. -#}
    {%- set code = modules.re.sub("'[^']*'", "''", text) -%}
    {%- if fail.message is none and (';' in code or '--' in code or '/*' in code or '*/' in code or '"' in code) -%}
        {%- set fail.message = "a statement separator, comment or quoted identifier (; -- /* */ \") cannot appear in a predicate" -%}
    {%- endif -%}
    {%- set depth = namespace(value=0, low=0) -%}
    {%- for character in code -%}
        {%- if character == '(' %}{% set depth.value = depth.value + 1 %}{% endif -%}
        {%- if character == ')' %}{% set depth.value = depth.value - 1 %}{% endif -%}
        {%- if depth.value < depth.low %}{% set depth.low = depth.value %}{% endif -%}
    {%- endfor -%}
    {%- if fail.message is none and (depth.value != 0 or depth.low < 0) -%}
        {%- set fail.message = 'unbalanced parentheses' -%}
    {%- endif -%}
    {%- set forbidden = [
        'select', 'from', 'with', 'union', 'insert', 'update', 'delete', 'merge', 'drop', 'create', 'alter',
        'truncate', 'attach', 'detach', 'copy', 'export', 'import', 'install', 'load', 'pragma', 'set', 'reset',
        'call', 'execute', 'prepare', 'grant', 'revoke', 'checkpoint', 'vacuum', 'begin', 'commit', 'rollback',
        'getvariable', 'getenv', 'current_setting', 'set_config', 'query', 'query_table', 'read_csv',
        'read_csv_auto', 'read_parquet', 'read_json', 'read_json_auto', 'read_text', 'read_blob', 'glob',
        'pg_read_file', 'pg_sleep', 'sleep', 'system', 'shell', 'error',
    ] -%}
    {%- set rule_columns = where.columns.keys() | list -%}
    {%- for word in modules.re.findall('[A-Za-z_][A-Za-z0-9_]*', code) if fail.message is none -%}
        {%- if word | lower in forbidden -%}
            {%- set fail.message = "'" ~ word ~ "' is not allowed: the sql form is one boolean expression over customer fields" -%}
        {%- elif word | lower in rule_columns and word | lower not in declared -%}
            {%- set fail.message = "reads field '" ~ word ~ "' without declaring it in `fields`" -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if fail.message -%}
        {{ audience_segments.segment_config_error(where.scheme, where.segment, none, "'sql' predicate refused: " ~ fail.message) }}
    {%- endif -%}
    {{ return(text | trim) }}
{%- endmacro %}


{#- Every var the package reads. A test checks that each
    var('audience_segments_...') in the code is listed. -#}
{% macro known_vars() -%}
    {%- set names = [
        'audience_segments_as_of_date', 'audience_segments_case_insensitive_ids',
        'audience_segments_compile_without_sources', 'audience_segments_completeness_default_mostly',
        'audience_segments_completeness_mostly', 'audience_segments_customer_features_model',
        'audience_segments_disabled_schemes', 'audience_segments_event_signals', 'audience_segments_external_root',
        'audience_segments_extra_schemes', 'audience_segments_fx_rates', 'audience_segments_hash_salt',
        'audience_segments_incremental_lookback_days', 'audience_segments_k_anonymity',
        'audience_segments_max_quarantined_share',
        'audience_segments_max_quarantined_share_by_source', 'audience_segments_max_segment_share',
        'audience_segments_max_valid_timestamp', 'audience_segments_min_segment_share',
        'audience_segments_min_segment_size', 'audience_segments_order_statuses',
        'audience_segments_postal_prefix_length', 'audience_segments_quasi_identifiers',
        'audience_segments_quality_severity', 'audience_segments_reporting_currency',
        'audience_segments_scheme_preset', 'audience_segments_schemes', 'audience_segments_source_database',
        'audience_segments_source_schema', 'audience_segments_use_demo_seeds',
    ] -%}
    {%- for source_name in audience_segments.source_registry().keys() -%}
        {%- for suffix in ['_identifier', '_columns', '_timestamp_format'] -%}
            {%- do names.append('audience_segments_' ~ source_name ~ suffix) -%}
        {%- endfor -%}
        {%- do names.append('audience_segments_using_' ~ source_name) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}


{#- An audience_segments_* var given on the command line that the package
    does not read is a typo that would otherwise change nothing, silently.
    (Vars in a dbt_project.yml are out of dbt's reach from a macro.) -#}
{% macro check_command_line_vars() -%}
    {%- set given = invocation_args_dict.get('vars') or {} -%}
    {%- if given is string -%}
        {%- set given = fromyaml(given) or {} -%}
    {%- endif -%}
    {%- set known = audience_segments.known_vars() -%}
    {%- for name in given if name is string and name.startswith('audience_segments_') and name not in known -%}
        {{ audience_segments.segment_config_error(none, none, none,
            "unknown var '" ~ name ~ "'" ~ audience_segments.did_you_mean(name, known)
            ~ ': the package reads no such var (see the README, "Configuration")') }}
    {%- endfor -%}
{%- endmacro %}
