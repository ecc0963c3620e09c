#!/usr/bin/env python3
"""Why is this code in the first load? For each NAME (part of a function's mangled name, e.g.
`share_link6decode`), prints one chain of references from the main module's roots (its exports)
to it, as the wasm splitter sees them: the first link to break to move it into a lazy chunk.

    scripts/why-first-load.py NAME...    (after `trunk build --release --offline`)

It runs wasm-split-cli with its trace on the raw wasm that scripts/split-wasm.mjs split, and
reads the relocations the trace prints. Plain Python 3, no packages.
"""
import bisect, collections, json, os, re, subprocess, sys, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
meta = json.loads(subprocess.run(['cargo', 'metadata', '--format-version=1', '--no-deps', '--offline'],
                                 cwd=root, capture_output=True, check=True, text=True).stdout)
raw = os.path.join(meta['target_directory'], 'wasm32-unknown-unknown', 'release', 'wsprobe.wasm')
targets = sys.argv[1:]
if not targets or not os.path.exists(raw):
    sys.exit(__doc__ if targets else 'usage: scripts/why-first-load.py NAME...')
with tempfile.TemporaryDirectory() as out:
    trace = subprocess.run(['wasm-split-cli', '-v', raw, out, '--target=web', '--out-name=wsprobe'],
                           env={**os.environ, 'RUST_LOG': 'trace', 'NO_COLOR': '1'},
                           capture_output=True, check=True, text=True).stdout
lines = re.sub(r'\x1b\[[0-9;]*m', '', trace).splitlines()
wasm = open(raw, 'rb').read()
def leb(b,i):
    r=s=0
    while True:
        x=b[i]; i+=1; r|=(x&0x7f)<<s; s+=7
        if x<0x80: return r,i
# sections
i=8; secs=[]
while i<len(wasm):
    sid=wasm[i]; i+=1; size,i=leb(wasm,i); secs.append((sid,i,i+size)); i+=size
nimp=0; exports=[]; code=[]; segs=[]
def name(b,i):
    n,i=leb(b,i); return b[i:i+n].decode('utf8','replace'),i+n
for idx,(sid,a,e) in enumerate(secs):
    if sid==2:
        n,j=leb(wasm,a)
        for _ in range(n):
            m,j=name(wasm,j); f,j=name(wasm,j); kind=wasm[j]; j+=1
            if kind==0: nimp+=1; _,j=leb(wasm,j)
            elif kind==1: j+=1; fl,j=leb(wasm,j); _,j=leb(wasm,j); 
            elif kind==2: fl,j=leb(wasm,j); _,j=leb(wasm,j); 
            elif kind==3: j+=2
            else: raise Exception(kind)
            if kind==1 and fl&1: _,j=leb(wasm,j)
            if kind==2 and fl&1: _,j=leb(wasm,j)
    if sid==7:
        n,j=leb(wasm,a)
        for _ in range(n):
            f,j=name(wasm,j); kind=wasm[j]; j+=1; x,j=leb(wasm,j)
            if kind==0: exports.append((f,x))
    if sid==10:
        codeidx=idx; n,j=leb(wasm,a)
        for k in range(n):
            s,j2=leb(wasm,j); code.append((j-a,j2+s-a,nimp+k)); j=j2+s
    if sid==11:
        dataidx=idx; n,j=leb(wasm,a)
        for k in range(n):
            fl,j=leb(wasm,j)
            if fl==2: _,j=leb(wasm,j)
            if fl in (0,2):
                # init expr until 0x0b
                while wasm[j]!=0x0b: j+=1
                j+=1
            s,j=leb(wasm,j); segs.append(j-a); j+=s
starts=[c[0] for c in code]
def func_at(off):
    k=bisect.bisect_right(starts,off)-1; return code[k][2]
bysegs=collections.defaultdict(list)
names={}
edges=collections.defaultdict(set)
section=None; cur=None
symre=re.compile(r'Func \{ flags: SymbolFlags\(([^)]*)\), index: (\d+), name: Some\("([^"]*)"\)')
datre=re.compile(r'Data \{ flags: SymbolFlags\(([^)]*)\), name: "([^"]*)", symbol: Some\(DefinedDataSymbol \{ index: (\d+), offset: (\d+), size: (\d+)')
for line in lines:
    if 'Reloc section >>>' in line: section=int(line.rsplit('=',1)[1]); continue
    if 'Reloc section <<<' in line: section=None; continue
    if 'SPLIT: ==============' in line:
        cur=line.split('==============')[1].strip(); continue
    if cur is not None:
        continue  # the splitter's verdicts, after the relocations: not needed here
    m=re.search(r'symbol_info=\s+\[(\d+)\] = (\w+)\((.*)',line)
    if m and section is not None:
        off=int(m.group(1)); rest=m.group(3)
        fm=symre.search(rest); dm=datre.search(rest)
        if fm: tgt=('f',int(fm.group(2))); names[tgt]=fm.group(3)
        elif dm: tgt=('d',dm.group(2))
        else: continue
        if section==8:
            src=('f',func_at(off))
        else:
            seg=bisect.bisect_right(segs,off)-1; so=off-segs[seg]
            src=None
            for (o,sz,nm) in bysegs[seg]:
                if o<=so<o+sz: src=('d',nm); break
            if src is None: continue
        edges[src].add(tgt); continue
    if section is None:
        fm=symre.search(line)
        if fm and 'TRACE wasm_split_cli_support::reloc: Func' in line:
            names[('f',int(fm.group(2)))]=fm.group(3)
        dm=datre.search(line)
        if dm and 'TRACE wasm_split_cli_support::reloc: Data' in line:
            bysegs[int(dm.group(3))].append((int(dm.group(4)),int(dm.group(5)),dm.group(2)))
# Data symbols inside others are not modelled: a chain may stop one step short.
roots=[('f',x) for _,x in exports]+[('f',k) for k in range(nimp)]
# BFS from roots (excluding split export funcs: names containing __wasm_split_00)
par={}
q=collections.deque()
for r in roots:
    if '__wasm_split' in names.get(r,''): continue
    par[r]=None; q.append(r)
while q:
    x=q.popleft()
    for y in edges.get(x,()):
        if y not in par: par[y]=x; q.append(y)
expn={('f',x):f for f,x in exports}
def show(n): 
    return expn.get(n) and ('EXPORT '+expn[n]) or names.get(n,str(n))
for t in targets:
    hits=[n for n in par if t in names.get(n,n[1] if n[0]=='d' else '')]
    for h in hits[:2]:
        print('==',show(h)); x=par[h]; d=0
        while x is not None and d<40: print('   <-',show(x)[:200]); x=par[x]; d+=1
