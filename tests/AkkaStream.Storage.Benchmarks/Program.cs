// The storage benchmark's entry point; the measurements are added in their own files.
Console.WriteLine("AkkaStream storage benchmark");
