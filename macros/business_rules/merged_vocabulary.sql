{#- A label mapping {class: [label, ...]} from shipped defaults and a user
    var, validated: the var adds labels to a class, a label the var lists
    under another class moves there, and a class the var sets to [] loses
    its defaults. Unknown classes, labels written other than normalised and
    a label listed twice fail at compile time naming the var. -#}
{% macro merged_vocabulary(var_name, defaults, configured, label, spelling, pattern) -%}
    {%- if configured is none -%}
        {%- set configured = {} -%}
    {%- endif -%}
    {%- if configured is not mapping -%}
        {{ exceptions.raise_compiler_error(var_name ~ ' must be a mapping {class: [' ~ label ~ ', ...]}, got ' ~ configured) }}
    {%- endif -%}
    {%- set seen = {} -%}
    {%- for class, labels in configured.items() -%}
        {%- if class not in defaults -%}
            {{ exceptions.raise_compiler_error(var_name ~ ": unknown class '" ~ class ~ "'; known: " ~ defaults.keys() | join(', ')) }}
        {%- endif -%}
        {%- if labels is string or labels is not sequence -%}
            {{ exceptions.raise_compiler_error(var_name ~ ': ' ~ class ~ ' must be a list of ' ~ label ~ 's, got ' ~ labels) }}
        {%- endif -%}
        {%- for item in labels -%}
            {%- if item is not string or not modules.re.match(pattern, item) -%}
                {{ exceptions.raise_compiler_error(
                    var_name ~ ": " ~ label ~ " '" ~ item ~ "' of " ~ class ~ ' must be written normalised (' ~ spelling ~ ')'
                ) }}
            {%- endif -%}
            {%- if item in seen -%}
                {{ exceptions.raise_compiler_error(var_name ~ ": " ~ label ~ " '" ~ item ~ "' is listed under both " ~ seen[item] ~ ' and ' ~ class) }}
            {%- endif -%}
            {%- do seen.update({item: class}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set merged = {} -%}
    {%- for class, labels in defaults.items() -%}
        {%- if class in configured and configured[class] | length == 0 -%}
            {%- do merged.update({class: []}) -%}
        {%- else -%}
            {%- do merged.update({class: labels | reject('in', seen.keys() | list) | list + configured.get(class, [])}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(merged) }}
{%- endmacro %}
