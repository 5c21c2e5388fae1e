/*
 * host_run.c - runs an `mmusim run` workload (docs/workload.md) on the HOST
 * Linux kernel, with real processes, mappings, files and signals, and prints
 * exactly the output the simulator must print.  testbench/regress/diff_host.sh diffs
 * the two: the kernel is the reference for the simulated OS.
 *
 * Design.  The driver parses the whole file first (a malformed line:
 * `FILE:LINE: message`, exit 2, no output).  Each workload process is a real
 * process holding one end of a SOCK_SEQPACKET control socket; the driver
 * sends it one command at a time (addresses already resolved), the process
 * performs it on its own address space and replies (status, mmap address,
 * loaded bytes).  The driver waits for every reply, so output is in workload
 * order.  `write` is the real write(1, ...) made by the workload process.
 * A SIGSEGV/SIGBUS handler sends si_signo/si_code/si_addr to the driver and
 * _exits.  `fork P C`: P makes a new socketpair, forks, and passes the
 * child's control socket to the driver with SCM_RIGHTS.
 *
 * Usage: host_run FILE.   Build: testbench/regress/diff.mk.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

enum { MAXPID = 65535, MAXTEXT = 8192, MAXLOAD = 4096, MAXNAMES = 4096 };
enum { C_FILE, C_SPAWN, C_FORK, C_EXIT, C_MMAP, C_MUNMAP, C_MPROTECT, C_MSYNC,
       C_LOAD, C_STORE, C_PUT, C_WRITE, C_PRINT };
static const char *const opname[] = { "file", "spawn", "fork", "exit", "mmap", "munmap",
    "mprotect", "msync", "load", "store", "put", "write", "print" };

/* An address as the workload wrote it: name (-1: none) + offset. */
typedef struct { int name; uint64_t off; const char *tok; } addr_t;

/* One parsed command.  text: file or put contents (text_len bytes); file: a name. */
typedef struct {
    int line, op, pid, pid2, prot, flags, bind, fill; /* fill: -1 seq, else the byte */
    addr_t a;
    uint64_t len, value, off;
    const char *size_tok, *file, *path;
    char *text; size_t text_len;
} cmd_t;

/* Driver -> process.  Sent with only text_len bytes of text. */
typedef struct { int op, prot, flags; uint64_t addr, len, value, off; size_t text_len; char text[MAXTEXT]; } msg_t;
/* Process -> driver.  kind: 0 done (err = errno or 0), 1 killed by a signal. */
typedef struct { int kind, err, signo, code; uint64_t addr; uint32_t n; uint8_t data[MAXLOAD]; } reply_t;

static const char *wl_name;        /* workload file, for messages */
static cmd_t *cmds; static size_t ncmds;
static char *names[MAXNAMES]; static uint64_t name_val[MAXNAMES]; static int nnames;
static char *files[MAXNAMES]; static int nfiles;
static int ctl[MAXPID + 1];        /* driver end of each process's socket; 0: not running */
static char tmpdir[256];
static volatile int my_ctl = -1;   /* in a workload process: its control socket */
static int status;                 /* exit status: 1 when a process died unexpectedly */

/* Reports a parse error at line and exits 2 (before any output). */
static _Noreturn void die(int line, const char *msg, const char *arg)
{
    fprintf(stderr, "%s:%d: %s%s%s\n", wl_name, line, msg, arg ? " " : "", arg ? arg : "");
    exit(2);
}

/* Parses a decimal or 0x-hex number with an optional K/M/G suffix; 0 if tok is not one. */
static int parse_num(const char *tok, uint64_t *out)
{
    int hex = tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'X');
    const char *p = tok + (hex ? 2 : 0);
    uint64_t v = 0, base = hex ? 16 : 10, shift = 0;
    if (!*p) return 0;
    for (; *p; p++) {
        int d;
        if (*p >= '0' && *p <= '9') d = *p - '0';
        else if (hex && *p >= 'a' && *p <= 'f') d = *p - 'a' + 10;
        else if (hex && *p >= 'A' && *p <= 'F') d = *p - 'A' + 10;
        else break;
        if (v > (UINT64_MAX - (uint64_t)d) / base) return 0;
        v = v * base + (uint64_t)d;
    }
    /* K/M/G only as the last character; hex digits never clash with K, M, G */
    if (*p == 'K') shift = 10; else if (*p == 'M') shift = 20; else if (*p == 'G') shift = 30;
    if (shift) p++;
    if (*p || (shift && v > (UINT64_MAX >> shift))) return 0;
    *out = v << shift;
    return 1;
}

/* 1 when tok is a word usable as a file or address name (letters, digits, ._-). */
static int is_word(const char *tok)
{
    if (!*tok) return 0;
    for (const char *p = tok; *p; p++)
        if (!(((*p | 32) >= 'a' && (*p | 32) <= 'z') || (*p >= '0' && *p <= '9') || strchr("._-", *p)))
            return 0;
    return 1;
}

/* Index of name in tab (appended when add), -1 if absent. */
static int lookup(char **tab, int *n, const char *name, int add)
{
    for (int i = 0; i < *n; i++) if (!strcmp(tab[i], name)) return i;
    if (!add) return -1;
    if (*n == MAXNAMES) die(0, "too many names", NULL);
    tab[*n] = strdup(name);
    return (*n)++;
}

/* Parses ADDR: NUMBER, NAME or NAME+NUMBER; NAME must be bound by an earlier `as`. */
static addr_t parse_addr(int line, const char *tok)
{
    addr_t a = { -1, 0, tok };
    char buf[256];
    if (parse_num(tok, &a.off)) return a;
    snprintf(buf, sizeof buf, "%s", tok);
    char *plus = strchr(buf, '+');
    if (plus) { *plus = 0; if (!parse_num(plus + 1, &a.off)) die(line, "bad address", tok); }
    if (!is_word(buf) || (a.name = lookup(names, &nnames, buf, 0)) < 0) die(line, "unknown name in address", tok);
    return a;
}

/* Decodes the escapes \n \t \\ \xHH of s into a new buffer (length in *len). */
static char *unescape(int line, const char *s, size_t *len)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    for (; *s; s++) {
        if (*s != '\\') { *o++ = *s; continue; }
        s++;
        if (*s == 'n') *o++ = '\n';
        else if (*s == 't') *o++ = '\t';
        else if (*s == '\\') *o++ = '\\';
        else if (*s == 'x' && s[1] && s[2] && strchr("0123456789abcdefABCDEF", s[1]) &&
                 strchr("0123456789abcdefABCDEF", s[2])) {
            char h[3] = { s[1], s[2], 0 };
            *o++ = (char)strtol(h, NULL, 16);
            s += 2;
        } else die(line, "bad escape in text", NULL);
    }
    *len = (size_t)(o - out);
    return out;
}

/* Parses a PID token (1..65535). */
static int parse_pid(int line, const char *tok)
{
    uint64_t v;
    if (!tok || !parse_num(tok, &v) || v < 1 || v > MAXPID) die(line, "bad PID", tok);
    return (int)v;
}

/* Parses PROT: `none` or letters from r, w, x. */
static int parse_prot(int line, const char *tok)
{
    int p = 0;
    if (!strcmp(tok, "none")) return PROT_NONE;
    for (const char *c = tok; *c; c++) {
        int bit = *c == 'r' ? PROT_READ : *c == 'w' ? PROT_WRITE : *c == 'x' ? PROT_EXEC : 0;
        if (!bit || (p & bit)) die(line, "bad PROT", tok);
        p |= bit;
    }
    if (!p) die(line, "bad PROT", tok);
    return p;
}

/* Parses FLAGS: exactly one of shared/private, then anon and/or fixed. */
static int parse_flags(int line, char *tok)
{
    int f = 0;
    char *save, *w = strtok_r(tok, ",", &save);
    if (w && !strcmp(w, "shared")) f = MAP_SHARED;
    else if (w && !strcmp(w, "private")) f = MAP_PRIVATE;
    else die(line, "FLAGS must start with shared or private", NULL);
    while ((w = strtok_r(NULL, ",", &save))) {
        int bit = !strcmp(w, "anon") ? MAP_ANONYMOUS : !strcmp(w, "fixed") ? MAP_FIXED : 0;
        if (!bit || (f & bit)) die(line, "bad FLAGS", w);
        f |= bit;
    }
    return f;
}

/*
 * Parses line number ln into c.  s: the line (comment and trailing blanks
 * stripped, not empty), cut into tokens here; orig: an intact copy, where
 * TEXT arguments are taken from (the rest of the line after one blank).
 * Commands the host cannot mirror are refused here.
 */
static void parse_line(int ln, char *s, const char *orig, cmd_t *c)
{
    char *tok[16], *save, *p;
    int nt = 0;
    memset(c, 0, sizeof *c);
    c->line = ln; c->bind = -1; c->a.name = -1;
    /* at most 16 tokens: enough for every command; TEXT is taken from orig, not from tokens */
    for (p = strtok_r(s, " \t", &save); p && nt < 16; p = strtok_r(NULL, " \t", &save)) tok[nt++] = p;
    #define TEXT_AFTER(i) (orig + (tok[i] - s) + strlen(tok[i]) + (nt > (i) + 1))
    const char *cmd = tok[0];
    int op = -1;
    for (int i = 0; i <= C_PRINT; i++) if (!strcmp(cmd, opname[i])) op = i;
    if (!strcmp(cmd, "execve") || !strcmp(cmd, "switch") || !strcmp(cmd, "brk") || !strcmp(cmd, "fetch"))
        die(ln, "not supported by host_run", NULL);
    if (op < 0) die(ln, "unknown command", cmd);
    c->op = op;
    static const int nargs[] = { -1, 2, 3, 2, -1, 4, 5, 4, 4, 5, -1, 4, 2 };
    if (nargs[op] > 0 && nt != nargs[op]) die(ln, "wrong number of arguments for", cmd);
    if (op == C_FILE) {
        if (nt < 3 || !is_word(tok[1])) die(ln, "usage: file NAME size N [fill BYTE|seq] | text TEXT | host PATH", NULL);
        if (lookup(files, &nfiles, tok[1], 0) >= 0) die(ln, "file already created:", tok[1]);
        c->file = files[lookup(files, &nfiles, tok[1], 1)];
        if (!strcmp(tok[2], "size") && nt >= 4 && nt <= 6) {
            /* `seq` is accepted alone and as `fill seq` */
            if (!parse_num(tok[3], &c->len)) die(ln, "bad size", tok[3]);
            const char *f = nt == 6 && !strcmp(tok[4], "fill") ? tok[5] : nt == 5 ? tok[4] : NULL;
            if (f && !strcmp(f, "seq")) c->fill = -1;
            else if (f && nt == 6 && parse_num(f, &c->value) && c->value < 256) c->fill = (int)c->value;
            else if (nt != 4) die(ln, "bad fill", NULL);
        } else if (!strcmp(tok[2], "text")) c->text = unescape(ln, TEXT_AFTER(2), &c->text_len);
        else if (!strcmp(tok[2], "host") && nt == 4) c->path = tok[3];
        else die(ln, "bad file command", NULL);
        return;
    }
    if (op == C_PRINT) {
        if (lookup(files, &nfiles, tok[1], 0) < 0) die(ln, "unknown file", tok[1]);
        c->file = tok[1];
        return;
    }
    c->pid = parse_pid(ln, tok[1]);
    if (op == C_SPAWN || op == C_EXIT) return;
    if (op == C_FORK) { c->pid2 = parse_pid(ln, tok[2]); return; }
    if (nt < 3) die(ln, "missing ADDR", NULL);
    c->a = parse_addr(ln, tok[2]);
    if (op == C_PUT) {
        if (nt < 4) die(ln, "missing TEXT", NULL);
        c->text = unescape(ln, TEXT_AFTER(2), &c->text_len);
        if (c->text_len > MAXTEXT) die(ln, "text too long", NULL);
        return;
    }
    if (nt < 4 || !parse_num(tok[3], &c->len)) die(ln, "bad LEN/SIZE", nt > 3 ? tok[3] : NULL);
    c->size_tok = tok[3];
    if (op == C_MPROTECT) c->prot = parse_prot(ln, tok[4]);
    if (op == C_LOAD && (c->len < 1 || c->len > MAXLOAD)) die(ln, "SIZE must be 1 to 4096", NULL);
    if (op == C_STORE && ((c->len != 1 && c->len != 2 && c->len != 4 && c->len != 8) || !parse_num(tok[4], &c->value)))
        die(ln, "usage: store PID ADDR SIZE(1,2,4,8) VALUE", NULL);
    if (op != C_MMAP) return;
    if (nt < 6) die(ln, "usage: mmap PID ADDR LEN PROT FLAGS [FILE OFFSET] [as NAME]", NULL);
    c->prot = parse_prot(ln, tok[4]);
    c->flags = parse_flags(ln, tok[5]);
    int i = 6;
    if (!(c->flags & MAP_ANONYMOUS)) {
        if (nt < 8 || !parse_num(tok[7], &c->off)) die(ln, "file mapping needs FILE OFFSET", NULL);
        if (lookup(files, &nfiles, tok[6], 0) < 0) die(ln, "unknown file", tok[6]);
        c->file = tok[6];
        i = 8;
    }
    uint64_t num;
    if (nt == i + 2 && !strcmp(tok[i], "as") && is_word(tok[i + 1]) && !parse_num(tok[i + 1], &num))
        c->bind = lookup(names, &nnames, tok[i + 1], 1);
    else if (nt != i) die(ln, "bad mmap arguments", NULL);
}

/* ---- the workload process side ---- */

/* SIGSEGV/SIGBUS handler: reports the signal to the driver and exits (async-signal-safe only). */
static void on_fault(int sig, siginfo_t *si, void *uc)
{
    reply_t r = { .kind = 1, .signo = sig, .code = si->si_code, .addr = (uint64_t)(uintptr_t)si->si_addr };
    (void)uc;
    send(my_ctl, &r, offsetof(reply_t, data), MSG_NOSIGNAL);
    _exit(0);
}

/* Sends reply r (header + r->n data bytes), optionally passing descriptor fd. */
static void send_reply(int sock, reply_t *r, int fd)
{
    struct iovec iov = { r, offsetof(reply_t, data) + r->n };
    union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } u;
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
    if (fd >= 0) {
        mh.msg_control = u.buf; mh.msg_controllen = sizeof u.buf;
        struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
        cm->cmsg_level = SOL_SOCKET; cm->cmsg_type = SCM_RIGHTS; cm->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cm), &fd, sizeof fd);
    }
    if (sendmsg(sock, &mh, MSG_NOSIGNAL) < 0) _exit(1);
}

/* Unaligned scalar types: `store` may be at any address, and x86 allows it. */
typedef uint16_t u16u __attribute__((aligned(1), may_alias));
typedef uint32_t u32u __attribute__((aligned(1), may_alias));
typedef uint64_t u64u __attribute__((aligned(1), may_alias));

/*
 * The loop of a workload process: executes commands from my_ctl until EOF
 * or `exit`.  Memory accesses are volatile so that each really touches the
 * page (a fault there is the test); bytes one at a time so a fault is at the
 * first byte that cannot be accessed, as in the simulator.
 */
static _Noreturn void worker(void)
{
    static msg_t m;
    static reply_t r;
    for (;;) {
        ssize_t n = recv(my_ctl, &m, sizeof m, 0);
        if (n <= 0 || m.op == C_EXIT) _exit(0);
        memset(&r, 0, offsetof(reply_t, data));
        volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)m.addr;
        int passfd = -1;
        switch (m.op) {
        case C_MMAP: {
            int fd = -1;
            if (m.text_len) {          /* a file: text holds its host path */
                m.text[m.text_len] = 0;
                if ((fd = open(m.text, O_RDWR)) < 0) { r.err = errno; break; }
            }
            /* a plain hint, not MAP_FIXED_NOREPLACE: docs/workload.md says the kernel
               places the area elsewhere when the hint is taken (and host_run's own
               libraries may occupy addresses the simulated process has free) */
            void *a = mmap((void *)(uintptr_t)m.addr, m.len, m.prot, m.flags, fd, (off_t)m.off);
            if (a == MAP_FAILED) r.err = errno; else r.addr = (uint64_t)(uintptr_t)a;
            if (fd >= 0) close(fd);
            break;
        }
        case C_MUNMAP: if (munmap((void *)(uintptr_t)m.addr, m.len)) r.err = errno; break;
        case C_MPROTECT: if (mprotect((void *)(uintptr_t)m.addr, m.len, m.prot)) r.err = errno; break;
        case C_MSYNC: if (msync((void *)(uintptr_t)m.addr, m.len, MS_SYNC)) r.err = errno; break;
        case C_LOAD:
            for (uint32_t i = 0; i < m.len; i++) r.data[i] = p[i];
            r.n = (uint32_t)m.len;
            break;
        case C_STORE:   /* one access of SIZE bytes, little-endian like RISC-V (and x86) */
            if (m.len == 1) *p = (uint8_t)m.value;
            else if (m.len == 2) *(volatile u16u *)p = (uint16_t)m.value;
            else if (m.len == 4) *(volatile u32u *)p = (uint32_t)m.value;
            else *(volatile u64u *)p = m.value;
            break;
        case C_PUT: for (size_t i = 0; i < m.text_len; i++) p[i] = (uint8_t)m.text[i]; break;
        case C_WRITE: {  /* the real system call: a bad buffer gives EFAULT, not a signal */
            uint64_t done = 0;
            while (done < m.len) {
                ssize_t w = write(1, (const void *)(uintptr_t)(m.addr + done), m.len - done);
                if (w < 0 && errno == EINTR) continue;
                if (w <= 0) { r.err = w < 0 ? errno : EIO; break; }
                done += (uint64_t)w;
            }
            break;
        }
        case C_FORK: {
            int sv[2];
            if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv)) { r.err = errno; break; }
            pid_t k = fork();
            if (k == 0) { close(my_ctl); close(sv[0]); my_ctl = sv[1]; continue; }
            close(sv[1]);
            if (k < 0) { r.err = errno; close(sv[0]); break; }
            passfd = sv[0];
            break;
        }
        }
        send_reply(my_ctl, &r, passfd);
        if (passfd >= 0) close(passfd);
    }
}

/* ---- the driver ---- */

/* The errno name for the output. */
static const char *errname(int e)
{
    static const struct { int e; const char *n; } t[] = { { EINVAL, "EINVAL" }, { ENOMEM, "ENOMEM" },
        { EEXIST, "EEXIST" }, { ENOENT, "ENOENT" }, { EACCES, "EACCES" }, { EFAULT, "EFAULT" },
        { EPERM, "EPERM" }, { EBADF, "EBADF" }, { ENODEV, "ENODEV" }, { EAGAIN, "EAGAIN" },
        { EOVERFLOW, "EOVERFLOW" }, { ESRCH, "ESRCH" }, { EBUSY, "EBUSY" }, { EIO, "EIO" } };
    static char buf[16];
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) if (t[i].e == e) return t[i].n;
    snprintf(buf, sizeof buf, "E%d", e);
    return buf;
}

/* The value of a parsed address at run time. */
static uint64_t addr_val(const addr_t *a) { return (a->name >= 0 ? name_val[a->name] : 0) + a->off; }

/*
 * Prints the fault address of a signal "as the workload wrote it": the
 * command's ADDR token when the fault is there (all scenarios), else the
 * name of the token plus the offset, else absolute hex.
 */
static void print_fault_addr(const addr_t *a, uint64_t va)
{
    if (va == addr_val(a)) printf("%s", a->tok);
    else if (a->name >= 0) printf("%s+0x%llx", names[a->name], (unsigned long long)(va - name_val[a->name]));
    else printf("0x%llx", (unsigned long long)va);
}

/* Receives a reply from process pid; *fd gets a passed descriptor (or -1).  0 on EOF. */
static ssize_t recv_reply(int pid, reply_t *r, int *fd)
{
    struct iovec iov = { r, sizeof *r };
    union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } u;
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf };
    ssize_t n;
    while ((n = recvmsg(ctl[pid], &mh, 0)) < 0 && errno == EINTR) {}
    *fd = -1;
    struct cmsghdr *cm = n > 0 ? CMSG_FIRSTHDR(&mh) : NULL;
    if (cm && cm->cmsg_type == SCM_RIGHTS) memcpy(fd, CMSG_DATA(cm), sizeof *fd);
    return n;
}

/* Waits until process pid has exited (its socket reaches EOF) and forgets it. */
static void reap(int pid)
{
    char b[sizeof(reply_t)];
    while (recv(ctl[pid], b, sizeof b, 0) > 0) {}
    close(ctl[pid]);
    ctl[pid] = 0;
}

/* Starts a workload process for spawn: a fresh child of the driver holding only its socket. */
static int spawn(int pid)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv)) return errno;
    fflush(stdout);
    pid_t k = fork();
    if (k < 0) { close(sv[0]); close(sv[1]); return errno; }
    if (k == 0) {
        for (int i = 1; i <= MAXPID; i++) if (ctl[i]) close(ctl[i]);
        close(sv[0]);
        my_ctl = sv[1];
        struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO };
        sigaction(SIGSEGV, &sa, NULL);
        sigaction(SIGBUS, &sa, NULL);
        signal(SIGCHLD, SIG_IGN);   /* forked workload processes reap themselves */
        worker();
    }
    close(sv[1]);
    ctl[pid] = sv[0];
    return 0;
}

/* Creates file c->file in the temporary directory; exits 2 when the host cannot. */
static void make_file(const cmd_t *c)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, c->file);
    int fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0600);
    if (fd < 0) die(c->line, "cannot create", path);
    if (c->path) {                 /* host: copy */
        char buf[65536];
        ssize_t n;
        int in = open(c->path, O_RDONLY);
        if (in < 0) die(c->line, "cannot read", c->path);
        while ((n = read(in, buf, sizeof buf)) > 0) if (write(fd, buf, (size_t)n) != n) die(c->line, "write failed", path);
        close(in);
    } else if (c->text) {
        if (write(fd, c->text, c->text_len) != (ssize_t)c->text_len) die(c->line, "write failed", path);
    } else {
        uint8_t buf[65536];
        for (uint64_t done = 0; done < c->len;) {
            size_t k = c->len - done < sizeof buf ? (size_t)(c->len - done) : sizeof buf;
            for (size_t i = 0; i < k; i++) buf[i] = c->fill < 0 ? (uint8_t)((done + i) % 251) : (uint8_t)c->fill;
            if (write(fd, buf, k) != (ssize_t)k) die(c->line, "write failed", path);
            done += k;
        }
    }
    close(fd);
}

/* print NAME: the file's bytes as read() sees them (the page cache of shared mappings included). */
static void print_file(const cmd_t *c)
{
    char path[512], buf[65536];
    ssize_t n;
    snprintf(path, sizeof path, "%s/%s", tmpdir, c->file);
    int fd = open(path, O_RDONLY);
    if (fd < 0) die(c->line, "cannot read", path);
    while ((n = read(fd, buf, sizeof buf)) > 0) fwrite(buf, 1, (size_t)n, stdout);
    close(fd);
}

/* Runs one command; its output goes to stdout in order. */
static void run(const cmd_t *c)
{
    static msg_t m;
    static reply_t r;
    if (c->op == C_FILE) { make_file(c); return; }
    if (c->op == C_PRINT) { print_file(c); return; }
    if (c->op == C_SPAWN) {
        int e = ctl[c->pid] ? EEXIST : spawn(c->pid);
        if (e) printf("%d: spawn: %s\n", c->pid, errname(e));
        return;
    }
    if (!ctl[c->pid]) { printf("%d: ESRCH\n", c->pid); return; }
    if (c->op == C_FORK && ctl[c->pid2]) { printf("%d: fork: EEXIST\n", c->pid); return; }
    memset(&m, 0, offsetof(msg_t, text));
    m.op = c->op; m.prot = c->prot; m.flags = c->flags;
    m.addr = addr_val(&c->a); m.len = c->len; m.value = c->value; m.off = c->off;
    if (c->op == C_PUT) { memcpy(m.text, c->text, c->text_len); m.text_len = c->text_len; }
    if (c->op == C_MMAP && c->file) m.text_len = (size_t)snprintf(m.text, sizeof m.text, "%s/%s", tmpdir, c->file);
    fflush(stdout);                /* `write` by the process goes to fd 1 after our output */
    if (send(ctl[c->pid], &m, offsetof(msg_t, text) + m.text_len, MSG_NOSIGNAL) < 0 || c->op == C_EXIT) {
        reap(c->pid);
        return;
    }
    int fd;
    ssize_t n = recv_reply(c->pid, &r, &fd);
    if (n <= 0) {                  /* died without reporting: not expected */
        fprintf(stderr, "%s:%d: process %d died unexpectedly\n", wl_name, c->line, c->pid);
        status = 1;
        reap(c->pid);
        return;
    }
    if (r.kind == 1) {
        const char *what = r.signo == SIGBUS ? "SIGBUS" : "SIGSEGV";
        const char *code = r.signo == SIGSEGV && r.code == SEGV_MAPERR ? "maperr"
                         : r.signo == SIGSEGV && r.code == SEGV_ACCERR ? "accerr"
                         : r.signo == SIGBUS && r.code == BUS_ADRERR ? "adrerr" : "other";
        printf("%d: killed by %s (%s) at ", c->pid, what, code);
        print_fault_addr(&c->a, r.addr);
        printf("\n");
        reap(c->pid);
        return;
    }
    if (r.err) { printf("%d: %s: %s\n", c->pid, opname[c->op], errname(r.err)); return; }
    if (c->op == C_MMAP && c->bind >= 0) name_val[c->bind] = r.addr;
    if (c->op == C_FORK) ctl[c->pid2] = fd;
    if (c->op == C_LOAD) {
        printf("%d: load %s %s:", c->pid, c->a.tok, c->size_tok);
        for (uint32_t i = 0; i < r.n; i++) printf(" %02x", r.data[i]);
        printf("\n");
    }
}

/* Reads and parses the whole workload (exit 2 on the first bad line). */
static void parse_file(const char *name)
{
    FILE *f = fopen(name, "r");
    char *line = NULL;
    size_t cap = 0, alloc = 0;
    int ln = 0;
    if (!f) { fprintf(stderr, "%s: %s\n", name, strerror(errno)); exit(2); }
    while (getline(&line, &cap, f) >= 0) {
        ln++;
        char *s = strdup(line), *e, *orig;
        if ((e = strchr(s, '#'))) *e = 0;                      /* `#` starts a comment */
        e = s + strlen(s);
        while (e > s && strchr(" \t\r\n", e[-1])) *--e = 0;    /* trailing blanks are not text */
        char *b = s + strspn(s, " \t");
        if (!*b) { free(s); continue; }
        if (ncmds == alloc) cmds = realloc(cmds, (alloc = alloc ? 2 * alloc : 64) * sizeof *cmds);
        orig = strdup(b);     /* kept: TEXT arguments point into it */
        parse_line(ln, b, orig, &cmds[ncmds++]);
    }
    free(line);
    fclose(f);
}

/*
 * host_run WORKLOAD: parses, runs every command in order, exits the processes
 * still running, removes the temporary directory.  Exit 0; 2 on a bad
 * workload; 1 if a workload process died without reporting a signal.
 */
int main(int argc, char **argv)
{
    if (argc != 2) { fprintf(stderr, "usage: host_run WORKLOAD\n"); return 2; }
    wl_name = argv[1];
    parse_file(argv[1]);
    const char *t = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/host_run.XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(tmpdir)) { perror("mkdtemp"); return 2; }
    /* orphaned workload processes (their parent exited) come back to us to be reaped */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    signal(SIGPIPE, SIG_IGN);
    for (size_t i = 0; i < ncmds; i++) run(&cmds[i]);
    msg_t bye = { .op = C_EXIT };
    for (int pid = 1; pid <= MAXPID; pid++)
        if (ctl[pid]) { send(ctl[pid], &bye, offsetof(msg_t, text), MSG_NOSIGNAL); reap(pid); }
    while (wait(NULL) > 0 || errno == EINTR) {}
    fflush(stdout);
    for (int i = 0; i < nfiles; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", tmpdir, files[i]);
        unlink(path);
    }
    rmdir(tmpdir);
    return status;
}
