/* The speed rows' live lwIP anchor (issue 12 point 5): Debian's liblwip (lwIP 2.1.3, its unix port and
 * tapif TAP driver) serving TCP echo (RFC 862, port 7), discard (RFC 863, port 9) and chargen (RFC 864,
 * port 19) on a TAP, so that lwIP runs in the same run, with the same Linux client, as our stack.
 *
 *   lwip_anchor TAP ADDRESS WINDOW MSS
 *
 * Threading (the cause of the earlier heap corruption was the stack being entered from two threads):
 * Debian builds liblwip with NO_SYS 0 and LWIP_TCPIP_CORE_LOCKING 1, and its tapif starts its own reader
 * thread that hands each frame to netif->input. So netif->input is tcpip_input (the frame is posted to
 * tcpip_thread's mailbox), the netif and the listeners are made inside tcpip_init's callback, and the
 * services are raw-API callbacks, which lwIP runs on tcpip_thread. Nothing else touches the stack.
 *
 * Windows: the library is compiled with TCP_WND = TCP_SND_BUF = 65535 (window scaling on). For ESP-IDF's
 * windows (TCP_WND 5744, TCP_SND_BUF 5744, TCP_MSS 1436: the Arduino-ESP32 sdkconfig) every new pcb is
 * given them where tcp_alloc sets them (tcp_alloc is interposed: liblwip calls it through its PLT), the
 * netif's MTU makes lwIP announce and use MSS, and tcp_recved's immediate window update uses the
 * threshold those options give (min(TCP_WND / 4, 4 * TCP_MSS)), not the library's compiled 5840.
 *
 * Built by the benchmark with gcc; prints "listening" once the services are up, then runs until killed. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <unistd.h>

#include "lwip/tcpip.h"
#include "lwip/tcp.h"
#include "lwip/netif.h"
#include "lwip/ip4_addr.h"
#include "netif/tapif.h"

static struct netif tap;
static ip4_addr_t address, mask, gateway;
static u32_t window, mss;
static sys_sem_t ready;

/* ---- Debian's PBUF_POOL elements are too small --------------------------------------------------
 * liblwip 2.1.3+dfsg1-2 allocates each PBUF_POOL element with room for 592 bytes (the size TCP_MSS 536
 * gives), while pbuf_alloc fills it with up to PBUF_POOL_BUFSIZE = 1520 (TCP_MSS 1460): tapif's
 * pbuf_take of a full-sized frame writes past the block (valgrind: "Invalid write ... 0 bytes after a
 * block of size 616 alloc'd" in pbuf_take from tapif_input). That is the earlier try's heap
 * corruption. Every PBUF_POOL request is served as one PBUF_RAM pbuf of the exact size instead. */

struct pbuf *pbuf_alloc(pbuf_layer layer, u16_t length, pbuf_type type)
{
  static struct pbuf *(*real)(pbuf_layer, u16_t, pbuf_type);
  if (real == NULL)
    real = (struct pbuf *(*)(pbuf_layer, u16_t, pbuf_type))dlsym(RTLD_NEXT, "pbuf_alloc");
  return real(layer, length, type == PBUF_POOL ? PBUF_RAM : type);
}

/* ---- ESP-IDF's windows on a library built for 64 KB ---------------------------------------------- */

struct tcp_pcb *tcp_alloc(u8_t prio)
{
  static struct tcp_pcb *(*real)(u8_t);
  if (real == NULL)
    real = (struct tcp_pcb *(*)(u8_t))dlsym(RTLD_NEXT, "tcp_alloc");
  struct tcp_pcb *pcb = real(prio);
  if (pcb != NULL && window < TCP_WND) {
    pcb->snd_buf = (tcpwnd_size_t)window;
    pcb->rcv_wnd = pcb->rcv_ann_wnd = (tcpwnd_size_t)window;
    pcb->ssthresh = (tcpwnd_size_t)window;
  }
  return pcb;
}

/* tcp_recved, then lwIP 2.1's own rule for an immediate window update with the threshold of these options. */
static void recved(struct tcp_pcb *pcb, u16_t len)
{
  tcp_recved(pcb, len);
  u32_t threshold = window / 4 < 4 * mss ? window / 4 : 4 * mss;
  u32_t opened = pcb->rcv_nxt + pcb->rcv_wnd - pcb->rcv_ann_right_edge;
  if ((s32_t)opened >= (s32_t)threshold) {
    tcp_set_flags(pcb, TF_ACK_NOW);
    tcp_output(pcb);
  }
}

/* ---- the services ------------------------------------------------------------------------------ */

enum { ECHO = 7, DISCARD = 9, CHARGEN = 19 };
#define CHARGEN_CYCLE (95 * 74)
static char pattern[2 * CHARGEN_CYCLE]; /* two cycles: any run up to one cycle long is contiguous */

struct session {
  int kind;
  struct pbuf *pending;  /* echo: received, not yet written back */
  u16_t offset;          /* into pending's first pbuf */
  int position;          /* chargen: within the cycle */
  int finished;          /* the peer's FIN came */
};

/* Returns what the callback that called it must return: ERR_ABRT once the pcb is aborted. */
static err_t finish(struct tcp_pcb *pcb, struct session *s)
{
  tcp_arg(pcb, NULL);
  tcp_recv(pcb, NULL);
  tcp_sent(pcb, NULL);
  tcp_err(pcb, NULL);
  if (s->pending != NULL)
    pbuf_free(s->pending);
  free(s);
  /* Everything received was taken (tcp_recved), but the window is below the compiled TCP_WND: without
     this tcp_close would answer with a RST ("not all data received by application"). */
  pcb->rcv_wnd = TCP_WND_MAX(pcb);
  if (tcp_close(pcb) == ERR_OK)
    return ERR_OK;
  tcp_abort(pcb);
  return ERR_ABRT;
}

/* Echo: writes back what the send buffer takes, and opens the window by as much. */
static void echo_more(struct tcp_pcb *pcb, struct session *s)
{
  while (s->pending != NULL && tcp_sndbuf(pcb) > 0 && tcp_sndqueuelen(pcb) < TCP_SND_QUEUELEN) {
    struct pbuf *q = s->pending;
    u16_t n = q->len - s->offset;
    if (n > tcp_sndbuf(pcb))
      n = tcp_sndbuf(pcb);
    if (tcp_write(pcb, (const char *)q->payload + s->offset, n, TCP_WRITE_FLAG_COPY) != ERR_OK)
      break;
    s->offset += n;
    recved(pcb, n);
    if (s->offset == q->len) {
      s->pending = q->next;
      if (q->next != NULL)
        pbuf_ref(q->next);
      pbuf_free(q); /* frees q alone: the rest keeps the reference just taken */
      s->offset = 0;
    }
  }
  tcp_output(pcb);
}

static void chargen_more(struct tcp_pcb *pcb, struct session *s)
{
  while (tcp_sndbuf(pcb) > 0 && tcp_sndqueuelen(pcb) < TCP_SND_QUEUELEN) {
    u16_t n = tcp_sndbuf(pcb) < CHARGEN_CYCLE ? tcp_sndbuf(pcb) : CHARGEN_CYCLE;
    if (tcp_write(pcb, pattern + s->position, n, TCP_WRITE_FLAG_COPY) != ERR_OK)
      break;
    s->position = (s->position + n) % CHARGEN_CYCLE;
  }
  tcp_output(pcb);
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
  struct session *s = (struct session *)arg;
  (void)err;
  if (p == NULL) {
    s->finished = 1;
    return s->kind != ECHO || s->pending == NULL ? finish(pcb, s) : ERR_OK;
  }
  if (s->kind == ECHO) {
    if (s->pending == NULL)
      s->pending = p;
    else
      pbuf_cat(s->pending, p);
    echo_more(pcb, s);
    return ERR_OK;
  }
  recved(pcb, p->tot_len); /* discard, and what a chargen client sends */
  pbuf_free(p);
  return ERR_OK;
}

static err_t on_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
  struct session *s = (struct session *)arg;
  (void)len;
  if (s->kind == ECHO) {
    echo_more(pcb, s);
    if (s->finished && s->pending == NULL)
      return finish(pcb, s);
  } else if (s->kind == CHARGEN)
    chargen_more(pcb, s);
  return ERR_OK;
}

static void on_error(void *arg, err_t err)
{
  struct session *s = (struct session *)arg; /* the pcb is already freed */
  (void)err;
  if (s != NULL) {
    if (s->pending != NULL)
      pbuf_free(s->pending);
    free(s);
  }
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
  if (err != ERR_OK || pcb == NULL)
    return ERR_VAL;
  struct session *s = (struct session *)calloc(1, sizeof(struct session));
  if (s == NULL)
    return ERR_MEM;
  s->kind = (int)(intptr_t)arg;
  tcp_arg(pcb, s);
  tcp_recv(pcb, on_recv);
  tcp_sent(pcb, on_sent);
  tcp_err(pcb, on_error);
  if (s->kind == CHARGEN)
    chargen_more(pcb, s);
  return ERR_OK;
}

static void listen_on(int port)
{
  struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
  if (pcb == NULL || tcp_bind(pcb, IP4_ADDR_ANY, (u16_t)port) != ERR_OK) {
    fprintf(stderr, "cannot bind port %d\n", port);
    exit(1);
  }
  pcb = tcp_listen_with_backlog(pcb, 16);
  tcp_arg(pcb, (void *)(intptr_t)port);
  tcp_accept(pcb, on_accept);
}

/* On tcpip_thread. */
static void start(void *arg)
{
  (void)arg;
  netif_add(&tap, &address, &mask, &gateway, NULL, tapif_init, tcpip_input);
  tap.mtu = (u16_t)(mss + 40); /* lwIP announces and sends MSS = MTU - 40 (TCP_CALCULATE_EFF_SEND_MSS) */
  netif_set_default(&tap);
  netif_set_up(&tap);
  listen_on(ECHO);
  listen_on(DISCARD);
  listen_on(CHARGEN);
  sys_sem_signal(&ready);
}

int main(int argc, char **argv)
{
  if (argc != 5) {
    fprintf(stderr, "usage: %s TAP ADDRESS WINDOW MSS\n", argv[0]);
    return 2;
  }
  setenv("PRECONFIGURED_TAPIF", argv[1], 1); /* tapif opens this TAP and runs no ifconfig */
  if (!ip4addr_aton(argv[2], &address)) {
    fprintf(stderr, "bad address %s\n", argv[2]);
    return 2;
  }
  IP4_ADDR(&mask, 255, 255, 255, 0);
  ip4_addr_set_zero(&gateway);
  window = (u32_t)atoi(argv[3]);
  mss = (u32_t)atoi(argv[4]);
  if (window < 2 * mss || window > TCP_WND || mss < 536 || mss > TCP_MSS) {
    fprintf(stderr, "window must be 2 MSS to %d, MSS 536 to %d\n", TCP_WND, TCP_MSS);
    return 2;
  }
  for (int k = 0; k < (int)sizeof(pattern); k++) {
    int at = k % CHARGEN_CYCLE, line = at / 74, column = at % 74;
    pattern[k] = column == 72 ? '\r' : column == 73 ? '\n' : (char)(32 + (line + column) % 95);
  }
  if (sys_sem_new(&ready, 0) != ERR_OK)
    return 1;
  tcpip_init(start, NULL);
  sys_sem_wait(&ready);
  printf("listening %02x:%02x:%02x:%02x:%02x:%02x\n", tap.hwaddr[0], tap.hwaddr[1], tap.hwaddr[2],
         tap.hwaddr[3], tap.hwaddr[4], tap.hwaddr[5]);
  fflush(stdout);
  for (;;)
    pause();
}
