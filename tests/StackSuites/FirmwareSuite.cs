// The firmware's services (firmware/Services) on stack B, a client on stack A, over a MemoryWire:
// echo (RFC 862), discard (RFC 863), chargen (RFC 864) and the HTTP status page.
using NanoTcp.Firmware.Services;
using NanoTcp.Scenarios;
using NanoTcp.Tcp;

namespace NanoTcp.StackSuites
{
    public static class FirmwareSuite
    {
        public static TestCatalog Catalog()
        {
            return new TestCatalog()
                .Add("Echo.ReturnsEverythingAndClosesAfterThePeer", EchoReturnsEverything)
                .Add("Discard.CountsAndChecksumsWhatItTakes", DiscardCountsAndChecksums)
                .Add("Chargen.SendsTheRfc864Pattern", ChargenSendsThePattern)
                .Add("Http.ServesTheStatusPage", HttpServesTheStatusPage);
        }

        /// <summary>Connects A to a service on B, sends request (then shuts down when asked) and collects up to
        /// capacity bytes until the service closes or expect bytes came; returns how many came.</summary>
        private static int Exchange(WireLan lan, FirmwareServices services, int port, byte[] request, bool shutdownAfterSend,
            byte[] received, int expect, int limitMs)
        {
            TcpConnection c = lan.A.Tcp.Connect(WireLan.AddressA, WireLan.AddressB, port, 0);
            Check.NotNull(c, "connect");
            int sent = 0, count = 0;
            bool shut = false;
            lan.EveryStep = delegate
            {
                services.Poll();
                if (c.IsConnected && sent < request.Length)
                {
                    int n = lan.A.Tcp.Send(c, request, sent, request.Length - sent);
                    if (n > 0) sent += n;
                }
                if (sent == request.Length && shutdownAfterSend && !shut && c.IsConnected)
                {
                    lan.A.Tcp.Shutdown(c);
                    shut = true;
                }
                if (count < received.Length)
                {
                    int r = lan.A.Tcp.Receive(c, received, count, received.Length - count);
                    if (r > 0) count += r;
                }
            };
            lan.RunUntil(delegate { return count >= expect || (c.IsReceiveFinished && c.State != TcpState.SynSent); }, limitMs);
            lan.EveryStep = null;
            lan.A.Tcp.Close(c);
            return count;
        }

        private static void EchoReturnsEverything()
        {
            WireLan lan = WireLan.Pair();
            var services = new FirmwareServices(lan.B);
            byte[] data = StackSuite.Pattern(20000, 1);
            byte[] back = new byte[data.Length];
            int n = Exchange(lan, services, ServicePorts.Echo, data, true, back, data.Length, 20000);
            Check.Equal(data.Length, n, "every byte echoed");
            for (int i = 0; i < n; i++)
            {
                if (back[i] != data[i]) Check.Fail(string.Concat("byte ", i.ToString(), " differs"));
            }
            Check.Equal((long)data.Length, services.EchoedBytes, "the service counted them");
        }

        private static void DiscardCountsAndChecksums()
        {
            WireLan lan = WireLan.Pair();
            var services = new FirmwareServices(lan.B);
            byte[] data = StackSuite.Pattern(30000, 2);
            Exchange(lan, services, ServicePorts.Discard, data, true, new byte[16], 1 << 30, 20000);
            lan.EveryStep = services.Poll;
            lan.RunUntil(delegate { return services.DiscardedBytes == data.Length; }, 5000);
            lan.EveryStep = null;
            Check.Equal((long)data.Length, services.DiscardedBytes, "all taken");
            Check.Equal(RunningChecksum.Add(0, data, 0, data.Length), services.DiscardChecksum, "checksum of what was sent");
        }

        private static void ChargenSendsThePattern()
        {
            WireLan lan = WireLan.Pair();
            var services = new FirmwareServices(lan.B);
            byte[] got = new byte[10000];
            int n = Exchange(lan, services, ServicePorts.Chargen, new byte[0], false, got, got.Length, 20000);
            Check.Equal(got.Length, n, "10000 bytes");
            // RFC 864: the 95 printing characters from ' ' form a ring; a line is 72 of them then CR LF; line N starts
            // with character N.
            string first = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefg";
            for (int i = 0; i < 72; i++)
                Check.Equal((int)first[i], got[i], "line 0");
            Check.Equal(13, got[72], "CR");
            Check.Equal(10, got[73], "LF");
            Check.Equal((int)'!', got[74], "line 1 starts one character later");
            for (int i = 0; i < n; i++)
            {
                int line = i / 74, column = i % 74;
                int expected = column == 72 ? 13 : column == 73 ? 10 : 32 + (line + column) % 95;
                if (got[i] != expected) Check.Fail(string.Concat("chargen byte ", i.ToString()));
            }
        }

        private static char[] AsChars(byte[] ascii, int count)
        {
            char[] chars = new char[count];
            for (int i = 0; i < count; i++) chars[i] = (char)ascii[i];
            return chars;
        }

        private static void HttpServesTheStatusPage()
        {
            WireLan lan = WireLan.Pair();
            var services = new FirmwareServices(lan.B);
            string request = "GET / HTTP/1.0\r\nHost: x\r\n\r\n";
            byte[] bytes = new byte[request.Length];
            for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)request[i];
            byte[] page = new byte[4096];
            int n = Exchange(lan, services, ServicePorts.Http, bytes, false, page, page.Length, 20000);
            char[] chars = new char[n];
            for (int i = 0; i < n; i++) chars[i] = (char)page[i]; // the page is ASCII
            string text = new string(chars);
            Check.True(text.StartsWith("HTTP/1.1 200 OK\r\n"), "status line"); // RFC 9110 6.2: the server's own version
            Check.True(text.IndexOf("\r\nConnection: close\r\n") >= 0, "a 1.0 request without keep-alive is closed (RFC 9112 9.3)");
            Check.True(text.IndexOf("nanoTcp status") >= 0, "the page's title");
            Check.True(text.IndexOf("address: 10.0.0.2") >= 0, "B's address");
            Check.Equal(1, services.HttpRequests, "one request");
            Check.True(text.EndsWith("\r\n\r\n" + new string(AsChars(services.PageBuffer, services.PageLength))), "the whole page after the fields, then FIN");
        }
    }
}
