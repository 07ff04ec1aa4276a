{#- Structural checks on the scheme list, then compilation of every rule.
    `columns` maps every column a rule may read to its data type (customer_360
    and the consumer's features); `context` (optional) carries
    disabled_fields ({field: [switched-off sources]}), feature_columns and
    features_model (the var's value), see compiled_segment_schemes.
    Returns a list of schemes, each segment enriched with `priority`,
    `predicate` (SQL, 3-valued), `fields` (sorted customer_360 columns it
    reads), `feature_fields` (sorted columns of the features model it reads)
    and `fields_used` (both, sorted: the catalog's list). -#}
{% macro validate_schemes(schemes, columns, context=none) -%}
    {%- set context = context or {} -%}
    {%- set feature_columns = context.get('feature_columns') or {} -%}
    {%- set reserved = audience_segments.reserved_config_names() -%}
    {%- set scheme_keys = [
        'name', 'description', 'owner', 'version', 'segments',
        'min_segment_size', 'min_segment_share', 'max_segment_share',
    ] -%}
    {%- set segment_keys = ['name', 'description', 'criteria', 'rule', 'fallback'] -%}
    {%- set seen_schemes = [] -%}
    {%- set compiled = [] -%}
    {#- Global segment number across schemes: integer CASE arms in the marts
        are several times cheaper than matching scheme and segment names. -#}
    {%- set segment_counter = [] -%}
    {%- if schemes is not sequence or schemes is string or schemes | length == 0 -%}
        {{ audience_segments.segment_config_error(none, none, none, 'no schemes configured: audience_segments_schemes must be a non-empty list') }}
    {%- endif -%}
    {%- for scheme in schemes -%}
        {%- set scheme_name = scheme.get('name') if scheme is mapping else none -%}
        {%- if scheme is not mapping or not scheme_name -%}
            {{ audience_segments.segment_config_error(scheme_name, none, none, 'scheme #' ~ loop.index ~ ' has no name') }}
        {%- endif -%}
        {%- do audience_segments.check_config_name(scheme_name, 'scheme', reserved, scheme=scheme_name) -%}
        {%- do audience_segments.check_known_keys(scheme, scheme_keys, 'the scheme', scheme=scheme_name) -%}
        {%- if scheme_name in seen_schemes -%}
            {{ audience_segments.segment_config_error(scheme_name, none, none, 'duplicate scheme name') }}
        {%- endif -%}
        {%- do seen_schemes.append(scheme_name) -%}
        {%- for key in ['description', 'owner', 'version'] -%}
            {%- if not scheme.get(key) -%}
                {{ audience_segments.segment_config_error(scheme_name, none, none, 'scheme has no ' ~ key) }}
            {%- endif -%}
        {%- endfor -%}
        {%- set segments = scheme.get('segments') or [] -%}
        {%- set ruled = segments | rejectattr('fallback') | list if segments is sequence else [] -%}
        {%- if segments is not sequence or segments is string or ruled | length == 0 -%}
            {{ audience_segments.segment_config_error(scheme_name, none, none, 'empty scheme: it needs at least one segment with a rule before its fallback') }}
        {%- endif -%}
        {#- Keys first: a typo such as `fallbak:` must be reported as itself,
            not as the missing fallback it causes. -#}
        {%- for segment in segments if segments is sequence and segments is not string -%}
            {%- if segment is not mapping -%}
                {{ audience_segments.segment_config_error(scheme_name, none, none, 'segment #' ~ loop.index ~ ' must be a mapping, got ' ~ segment) }}
            {%- endif -%}
            {%- do audience_segments.check_known_keys(segment, segment_keys, 'the segment', scheme=scheme_name, segment=segment.get('name')) -%}
        {%- endfor -%}
        {%- set fallbacks = segments | selectattr('fallback') | list -%}
        {%- if fallbacks | length == 0 -%}
            {{ audience_segments.segment_config_error(scheme_name, none, none, 'missing fallback: the last segment must have `fallback: true` so no customer is left without a segment') }}
        {%- endif -%}
        {%- if fallbacks | length > 1 -%}
            {{ audience_segments.segment_config_error(scheme_name, fallbacks[1].get('name'), none, 'more than one fallback segment') }}
        {%- endif -%}
        {%- if not segments[-1].get('fallback') -%}
            {{ audience_segments.segment_config_error(scheme_name, fallbacks[0].get('name'), none, 'fallback not last: the fallback segment must come after every segment with a rule') }}
        {%- endif -%}

        {%- set seen_segments = [] -%}
        {%- set compiled_segments = [] -%}
        {%- for segment in segments -%}
            {%- set segment_name = segment.get('name') -%}
            {%- if not segment_name -%}
                {{ audience_segments.segment_config_error(scheme_name, none, none, 'segment #' ~ loop.index ~ ' has no name') }}
            {%- endif -%}
            {%- do audience_segments.check_config_name(segment_name, 'segment', [], scheme=scheme_name, segment=segment_name) -%}
            {%- if segment.get('fallback') is not none and segment.get('fallback') is not boolean -%}
                {{ audience_segments.segment_config_error(scheme_name, segment_name, none, 'fallback must be true or false, got ' ~ segment.get('fallback')) }}
            {%- endif -%}
            {%- if segment_name in seen_segments -%}
                {{ audience_segments.segment_config_error(scheme_name, segment_name, none, 'duplicate segment name') }}
            {%- endif -%}
            {%- do seen_segments.append(segment_name) -%}
            {%- if not segment.get('description') -%}
                {{ audience_segments.segment_config_error(scheme_name, segment_name, none, 'segment has no description') }}
            {%- endif -%}
            {%- if segment.get('fallback') -%}
                {%- if segment.get('rule') is not none -%}
                    {{ audience_segments.segment_config_error(scheme_name, segment_name, none, 'a fallback segment takes no rule: it holds whoever matched nothing') }}
                {%- endif -%}
                {%- set predicate = 'true' -%}
                {%- set fields = [] -%}
            {%- else -%}
                {%- if segment.get('rule') is none -%}
                    {{ audience_segments.segment_config_error(scheme_name, segment_name, none, 'segment has no rule') }}
                {%- endif -%}
                {%- set where = {
                    'scheme': scheme_name, 'segment': segment_name, 'columns': columns,
                    'disabled_fields': context.get('disabled_fields') or {},
                    'features_model': context.get('features_model'),
                } -%}
                {#- Macro output carries layout newlines; one line reads better in
                    the catalog and in compiled SQL. -#}
                {%- set predicate = modules.re.sub('\\s*\\n\\s*', ' ', audience_segments.compile_condition(segment.get('rule'), where) | trim) -%}
                {%- set fields = audience_segments.condition_fields(segment.get('rule'), where) -%}
            {%- endif -%}
            {%- set read = [] -%}
            {%- for field in fields %}{% do read.append(field | lower) %}{% endfor -%}
            {%- set read = read | unique | sort | list -%}
            {%- do segment_counter.append(1) -%}
            {%- do compiled_segments.append({
                'name': segment_name,
                'ordinal': segment_counter | length,
                'description': segment.get('description'),
                'criteria': segment.get('criteria') or segment.get('description'),
                'priority': loop.index,
                'is_fallback': true if segment.get('fallback') else false,
                'predicate': predicate,
                'fields': read | reject('in', feature_columns) | list,
                'feature_fields': read | select('in', feature_columns) | list,
                'fields_used': read,
            }) -%}
        {%- endfor -%}

        {%- set min_size = audience_segments.checked_number(
            scheme.get('min_segment_size', var('audience_segments_min_segment_size', 100)),
            'min_segment_size (or audience_segments_min_segment_size)', low=0, whole=true, scheme=scheme_name) -%}
        {%- set min_share = audience_segments.checked_number(
            scheme.get('min_segment_share', var('audience_segments_min_segment_share', 0)),
            'min_segment_share (or audience_segments_min_segment_share)', low=0, high=1, scheme=scheme_name) -%}
        {%- set max_share = audience_segments.checked_number(
            scheme.get('max_segment_share', var('audience_segments_max_segment_share', 0.8)),
            'max_segment_share (or audience_segments_max_segment_share)', low=0, high=1, scheme=scheme_name) -%}
        {%- if min_share > max_share -%}
            {{ audience_segments.segment_config_error(scheme_name, none, none,
                'min_segment_share ' ~ min_share ~ ' is above max_segment_share ' ~ max_share) }}
        {%- endif -%}
        {%- do compiled.append({
            'name': scheme_name,
            'ordinal': loop.index,
            'description': scheme.get('description'),
            'owner': scheme.get('owner'),
            'version': scheme.get('version') | string,
            'min_segment_size': min_size,
            'min_segment_share': min_share,
            'max_segment_share': max_share,
            'segments': compiled_segments,
        }) -%}
    {%- endfor -%}
    {{ return(compiled) }}
{%- endmacro %}


{% macro segment_config_error(scheme, segment, field, message) -%}
    {%- set where = [] -%}
    {%- if scheme %}{% do where.append("scheme '" ~ scheme ~ "'") %}{% endif -%}
    {%- if segment %}{% do where.append("segment '" ~ segment ~ "'") %}{% endif -%}
    {%- if field %}{% do where.append("field '" ~ field ~ "'") %}{% endif -%}
    {{ exceptions.raise_compiler_error(
        'audience_segments configuration error'
        ~ (' in ' ~ where | join(', ') if where else '')
        ~ ': ' ~ message
    ) }}
{%- endmacro %}
