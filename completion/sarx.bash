# bash completion for sarx, written by `sarx --completion bash` from the
# option tables (cli/opts_doc.c); do not edit.  Source it, or install it as
# /usr/share/bash-completion/completions/sarx.

_sarx_definitions='ewgsop2 ewgsop1 awgs2019 awgs2025 fnih2014 iwgs2011 sdoc2020 baumgartner1998 janssen2004 dynapenia sarc_f sarc_calf evans2008 evans2008_7 fearon2011 glim2019 espen_easo2022 sarcopenia phenotype screening cachexia malnutrition sarcopenic_obesity'
_sarx_presets='sedentary active masters_athlete bed_rest_10d resistance_training_6mo microgravity_180d immobilization_14d'

_sarx_words() { COMPREPLY=($(compgen -W "$1" -- "$cur")); }
_sarx_files() { compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")); }
_sarx_dirs() { compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")); }
# a comma-separated list: complete its last name
_sarx_list() {
    local head=
    case $cur in *,*) head=${cur%,*},; esac
    COMPREPLY=($(compgen -P "$head" -W "$1" -- "${cur##*,}"))
}

_sarx() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev= cmd=
    (( COMP_CWORD > 0 )) && prev=${COMP_WORDS[COMP_CWORD-1]}
    # --opt=value: bash splits the word at '=' (COMP_WORDBREAKS)
    if [[ $cur == = ]]; then
        cur=
    elif [[ $prev == = ]] && (( COMP_CWORD > 1 )); then
        prev=${COMP_WORDS[COMP_CWORD-2]}
    fi
    if (( COMP_CWORD == 1 )); then
        _sarx_words 'assess definitions cohort synth fields simulate serve registry help --help --version --man --completion'
        return
    fi
    cmd=${COMP_WORDS[1]}
    case $cmd in
    help)
        (( COMP_CWORD == 2 )) && _sarx_words 'assess definitions cohort synth fields simulate serve registry'
        return ;;
    --completion)
        _sarx_words bash
        return ;;
    registry)
        if (( COMP_CWORD == 2 )); then
            _sarx_words 'export check --help'
            return
        fi
        cmd="registry ${COMP_WORDS[2]}" ;;
    esac
    # the value of the option before
    case "$cmd/$prev" in
    "assess/--format")
        _sarx_words 'auto text json fhir fhir-inputs'
        return ;;
    "assess/--input")
        _sarx_words 'auto json fhir'
        return ;;
    "assess/--as-of")
        COMPREPLY=()
        return ;;
    "assess/--definitions")
        _sarx_list "$_sarx_definitions"
        return ;;
    "definitions/--format")
        _sarx_words 'text markdown json'
        return ;;
    "cohort/--output" | "cohort/-o")
        _sarx_files
        return ;;
    "cohort/--summary")
        _sarx_files
        return ;;
    "cohort/--plot")
        _sarx_dirs
        return ;;
    "cohort/--errors")
        _sarx_files
        return ;;
    "cohort/--threads")
        COMPREPLY=()
        return ;;
    "cohort/--delimiter")
        _sarx_words ', ; tab'
        return ;;
    "cohort/--na")
        COMPREPLY=()
        return ;;
    "cohort/--map")
        _sarx_files
        return ;;
    "cohort/--rename")
        COMPREPLY=()
        return ;;
    "cohort/--definitions")
        _sarx_list "$_sarx_definitions"
        return ;;
    "synth/--seed")
        COMPREPLY=()
        return ;;
    "synth/--bad")
        COMPREPLY=()
        return ;;
    "synth/--output" | "synth/-o")
        _sarx_files
        return ;;
    "fields/--format")
        _sarx_words 'text markdown json'
        return ;;
    "simulate/--preset")
        _sarx_words "$_sarx_presets"
        return ;;
    "simulate/--scenario")
        _sarx_files
        return ;;
    "simulate/--seed")
        COMPREPLY=()
        return ;;
    "simulate/--out" | "simulate/-o")
        _sarx_files
        return ;;
    "simulate/--plot")
        _sarx_dirs
        return ;;
    "simulate/--population")
        COMPREPLY=()
        return ;;
    "simulate/--ages")
        COMPREPLY=()
        return ;;
    "simulate/--threads")
        COMPREPLY=()
        return ;;
    "simulate/--rows")
        _sarx_files
        return ;;
    "simulate/--summary")
        _sarx_files
        return ;;
    "simulate/--detail")
        _sarx_files
        return ;;
    "simulate/--pool")
        COMPREPLY=()
        return ;;
    "simulate/--steps")
        COMPREPLY=()
        return ;;
    "simulate/--excitation")
        COMPREPLY=()
        return ;;
    "simulate/--dt")
        COMPREPLY=()
        return ;;
    "simulate/--svg")
        _sarx_files
        return ;;
    "serve/--db")
        _sarx_files
        return ;;
    "serve/--bind")
        COMPREPLY=()
        return ;;
    "serve/--port")
        COMPREPLY=()
        return ;;
    "serve/--token-file")
        _sarx_files
        return ;;
    "serve/--threads")
        COMPREPLY=()
        return ;;
    "serve/--max-body")
        COMPREPLY=()
        return ;;
    "serve/--timeout")
        COMPREPLY=()
        return ;;
    "serve/--access-log")
        _sarx_files
        return ;;
    "serve/--allow-host")
        COMPREPLY=()
        return ;;
    "serve/--max-connections")
        COMPREPLY=()
        return ;;
    "serve/--per-client")
        COMPREPLY=()
        return ;;
    "registry export/--db")
        _sarx_files
        return ;;
    "registry export/--patient")
        COMPREPLY=()
        return ;;
    "registry export/--format")
        _sarx_words 'csv json'
        return ;;
    "registry export/--output" | "registry export/-o")
        _sarx_files
        return ;;
    "registry check/--db")
        _sarx_files
        return ;;
    esac
    if [[ $cur == -* ]]; then
        case $cmd in
        "assess") _sarx_words '--format --input --as-of --suggest-conditions --explain --pretty --no-guidance --definitions --help' ;;
        "definitions") _sarx_words '--format --help' ;;
        "cohort") _sarx_words '--output --summary --plot --errors --threads --strict --delimiter --decimal-comma --na --map --rename --definitions --wide --progress --quiet --help' ;;
        "synth") _sarx_words '--seed --bad --output --progress --quiet --help' ;;
        "fields") _sarx_words '--format --help' ;;
        "simulate") _sarx_words '--preset --scenario --seed --out --plot --population --ages --threads --rows --summary --detail --pool --steps --excitation --dt --no-fatigue --list --progress --quiet --validate --compare --svg --help' ;;
        "serve") _sarx_words '--db --bind --port --token-file --threads --max-body --timeout --access-log --allow-host --max-connections --per-client --allow-shared-db --help' ;;
        "registry export") _sarx_words '--db --patient --format --output --progress --quiet --help' ;;
        "registry check") _sarx_words '--db --help' ;;
        esac
        return
    fi
    case $cmd in
    "assess") _sarx_files ;;
    "definitions") COMPREPLY=() ;;
    "cohort") _sarx_files ;;
    "synth") COMPREPLY=() ;;
    "fields") COMPREPLY=() ;;
    "simulate") COMPREPLY=() ;;
    "serve") COMPREPLY=() ;;
    "registry export") COMPREPLY=() ;;
    "registry check") COMPREPLY=() ;;
    esac
}
complete -F _sarx sarx
