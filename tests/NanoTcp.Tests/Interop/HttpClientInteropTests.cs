using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using NanoTcp.Boards.Desktop;
using NanoTcp.Http;
using NanoTcp.Sockets;
using Xunit;

namespace NanoTcp.Tests.Interop
{
    /// <summary>Python's http.server on the kernel's side of a TAP (10.157.0.1): the stock file server on
    /// port 8000 (HTTP/1.0) and http_test_server.py on 8080 (HTTP/1.1: keep-alive, chunked, redirects).</summary>
    public sealed class PythonHttpLab : IDisposable
    {
        public readonly TapLab Lab;
        public readonly SocketFactory Sockets;
        private readonly Process _files, _server;
        public readonly string FileText = "a file served by python3 -m http.server\n";

        public PythonHttpLab()
        {
            Lab = new TapLab("nthttp", 0x0A9D0001);
            if (!Lab.CanRun)
                return;
            Sockets = new SocketFactory(Lab.Runner);
            string dir = Directory.CreateTempSubdirectory("nanotcp-http").FullName;
            File.WriteAllText(Path.Combine(dir, "file.txt"), FileText);
            string script = Path.Combine(RepoLayout.Root, "tests", "NanoTcp.Tests", "Interop", "http_test_server.py");
            _files = LabProcess.Start("/usr/bin/python3", $"-m http.server --bind {Lab.LinuxIp} --directory {dir} 8000");
            _server = LabProcess.Start("/usr/bin/python3", $"{script} {Lab.LinuxIp} 8080");
            Thread.Sleep(700); // let both bind
        }

        public void Dispose()
        {
            LabProcess.Stop(_files, _server);
            Lab.Dispose();
        }
    }

    [Trait("Category", "Interop")]
    public sealed class HttpClientInteropTests : IClassFixture<PythonHttpLab>
    {
        private readonly PythonHttpLab _http;
        private TapLab Lab => _http.Lab;

        public HttpClientInteropTests(PythonHttpLab http) => _http = http;

        private HttpClient NewClient(int bodyCapacity = 4096) =>
            new HttpClient(_http.Sockets, new HttpClientConfig { BodyCapacity = bodyCapacity, TimeoutMs = 10000 });

        private static string Text(HttpResponse r) => r.BodyText();

        /// <summary>Sends request and asserts it ended well, saying the socket layer's reason when not.</summary>
        private static void Sent(HttpClient client, HttpRequest request)
        {
            HttpError e = client.Send(request);
            Assert.True(e == HttpError.None, $"{e} ({client.SocketError}), {client.ConnectionsOpened} opened, {client.ConnectionsReused} reused");
        }

        [SkippableFact]
        public void GetsAFileFromTheStockHttpServer()
        {
            Skip.IfNot(Lab.CanRun, Lab.Reason);
            var client = NewClient();
            Sent(client, new HttpRequest("GET", Lab.LinuxIp, 8000, "/file.txt"));
            Assert.Equal(200, client.Response.StatusCode);
            Assert.Equal(0, client.Response.MinorVersion); // SimpleHTTPRequestHandler answers HTTP/1.0
            Assert.False(client.Response.KeepAlive);
            Assert.Equal(_http.FileText.Length, client.Response.ContentLength);
            Assert.Equal(_http.FileText, Text(client.Response));
            Sent(client, new HttpRequest("GET", Lab.LinuxIp, 8000, "/missing"));
            Assert.Equal(404, client.Response.StatusCode);
            Assert.Equal(2, client.ConnectionsOpened);
            client.Close();
        }

        [SkippableFact]
        public void KeepAliveReusesTheConnection()
        {
            Skip.IfNot(Lab.CanRun, Lab.Reason);
            var client = NewClient();
            var request = new HttpRequest("GET", Lab.LinuxIp, 8080, "/hello");
            Sent(client, request);
            string first = Text(client.Response);
            Assert.True(client.Response.KeepAlive);
            Sent(client, request);
            Assert.Equal(first, Text(client.Response)); // the server saw the same client port
            Assert.Equal(1, client.ConnectionsOpened);
            Assert.Equal(1, client.ConnectionsReused);
            client.Close();
        }

        [SkippableFact]
        public void ReadsAChunkedResponseWithExtensionsAndATrailer()
        {
            Skip.IfNot(Lab.CanRun, Lab.Reason);
            var client = NewClient();
            Sent(client, new HttpRequest("GET", Lab.LinuxIp, 8080, "/chunked"));
            Assert.True(client.Response.Chunked);
            Assert.Equal("first chunk, second; and the last", Text(client.Response));
            Assert.True(client.Response.KeepAlive);
            Sent(client, new HttpRequest("GET", Lab.LinuxIp, 8080, "/hello"));
            Assert.Equal(1, client.ConnectionsReused); // the trailer was consumed: the connection is usable
            client.Close();
        }

        [SkippableFact]
        public void PostsABodyWithContentLength()
        {
            Skip.IfNot(Lab.CanRun, Lab.Reason);
            var client = NewClient();
            var request = new HttpRequest("POST", Lab.LinuxIp, 8080, "/echo");
            byte[] body = Encoding.ASCII.GetBytes("{\"temperature\": 21.5}");
            request.SetBody(body, 0, body.Length, "application/json");
            Sent(client, request);
            Assert.Equal(200, client.Response.StatusCode);
            Assert.Equal("{\"temperature\": 21.5}", Text(client.Response));
            Assert.True(client.Response.HeaderIs("Content-Type", "application/json"));
            client.Close();
        }

        [SkippableFact]
        public void RedirectsAreFollowedOnlyWhenAsked()
        {
            Skip.IfNot(Lab.CanRun, Lab.Reason);
            var client = NewClient();
            var request = new HttpRequest("GET", Lab.LinuxIp, 8080, "/redirect");
            Sent(client, request);
            Assert.Equal(302, client.Response.StatusCode);
            Assert.True(client.Response.FindHeader("Location", out int n) >= 0 && n == 6);
            request.FollowRedirects = true;
            Sent(client, request);
            Assert.Equal(200, client.Response.StatusCode);
            Assert.StartsWith("hello from port", Text(client.Response));
            var post = new HttpRequest("POST", Lab.LinuxIp, 8080, "/see-other") { FollowRedirects = true };
            post.SetBody(new byte[] { 1, 2, 3 }, 0, 3, "application/octet-stream");
            Sent(client, post); // 303: the next request is a GET without the body
            Assert.Equal(200, client.Response.StatusCode);
            Assert.StartsWith("hello from port", Text(client.Response));
            Assert.Equal(2, client.RedirectsFollowed);
            client.Close();
        }

        [SkippableFact]
        public void ABodyLargerThanTheBufferGoesWholeToTheSink()
        {
            Skip.IfNot(Lab.CanRun, Lab.Reason);
            var client = NewClient(bodyCapacity: 1000);
            long sum = 0, count = 0;
            client.BodySink = (b, o, c) => { for (int i = 0; i < c; i++) { if (b[o + i] != (byte)(count % 251)) sum = -1_000_000; count++; } };
            Sent(client, new HttpRequest("GET", Lab.LinuxIp, 8080, "/big"));
            Assert.Equal(10000, client.Response.BodyReceived);
            Assert.Equal(1000, client.Response.BodyLength);
            Assert.True(client.Response.BodyTruncated);
            Assert.Equal(10000, count);
            Assert.Equal(0, sum);
            client.Close();
        }

        [SkippableFact]
        public void ABodyWithoutLengthEndsWhenTheServerCloses()
        {
            Skip.IfNot(Lab.CanRun, Lab.Reason);
            var client = NewClient();
            Sent(client, new HttpRequest("GET", Lab.LinuxIp, 8080, "/until-close"));
            Assert.Equal("read me until the end", Text(client.Response));
            Assert.False(client.Response.KeepAlive);
        }

        [SkippableFact]
        public void ARefusedPortIsAClearError()
        {
            Skip.IfNot(Lab.CanRun, Lab.Reason);
            var client = NewClient();
            Assert.Equal(HttpError.ConnectFailed, client.Send(new HttpRequest("GET", Lab.LinuxIp, 8081, "/")));
            Assert.Equal(SocketError.ConnectionRefused, client.SocketError);
        }
    }
}
